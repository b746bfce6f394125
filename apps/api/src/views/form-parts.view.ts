import { SafeHtml, html } from '@gopy/text';

// Small building blocks for accessible form fields: label, hint, error, all linked.

export interface FieldFrame {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  requiredText?: string;
  optionalText?: string;
}

export function fieldId(name: string): string {
  return `field-${name}`;
}

export function describedBy(frame: FieldFrame): string | undefined {
  const ids = [
    frame.hint ? `${fieldId(frame.name)}-hint` : '',
    frame.error ? `${fieldId(frame.name)}-error` : '',
  ].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function labelFor(frame: FieldFrame): SafeHtml {
  const marker = frame.required
    ? html` <span class="req">(${frame.requiredText})</span>`
    : frame.optionalText
      ? html` <span class="opt">(${frame.optionalText})</span>`
      : '';
  return html`<label for="${fieldId(frame.name)}">${frame.label}${marker}</label>`;
}

export function hintAndError(frame: FieldFrame): SafeHtml {
  return html`${frame.hint ? html`<p class="hint" id="${fieldId(frame.name)}-hint">${frame.hint}</p>` : ''}${
    frame.error ? html`<p class="error-message" id="${fieldId(frame.name)}-error">${frame.error}</p>` : ''
  }`;
}

export function errorSummary(title: string, errors: { field: string; message: string }[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary">
<h2 id="error-summary-title">${title}</h2>
<ul>${errors.map((e) => html`<li><a href="#${fieldId(e.field)}">${e.message}</a></li>`)}</ul>
</div>`;
}

export function notice(text: string | undefined, kind: 'info' | 'warn' = 'info'): SafeHtml {
  return text ? html`<div class="notice ${kind}" role="status">${text}</div>` : html``;
}
