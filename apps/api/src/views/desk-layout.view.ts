import type { StaffPrincipal } from '@gopy/auth';
import { Language, MESSAGES, MessageKey, formatDateTime, translate } from '@gopy/i18n';
import { SafeHtml, html } from '@gopy/text';

export interface DeskFrame {
  lang: Language;
  title: string;
  path: string;
  principal: StaffPrincipal;
  csrfToken: string;
  body: SafeHtml;
}

/** A translation for a dynamic key (a status, an event type), falling back to the raw value. */
export function label(lang: Language, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in MESSAGES[lang] ? translate(lang, key as MessageKey) : value;
}

export function when(lang: Language, at: Date | string | null | undefined): string {
  return at ? formatDateTime(lang, new Date(at)) : '—';
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** The frame of every desk page: the staff header with the person, the language switch and sign-out. */
export function renderDeskPage(frame: DeskFrame): string {
  const { lang, principal } = frame;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
  const other: Language = lang === 'vi' ? 'en' : 'vi';
  const next = encodeURIComponent(frame.path);
  const roles = principal.roles.map((r) => label(lang, 'role', r)).join(', ');
  return (
    '<!doctype html>\n' +
    html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${frame.title} · ${t('desk.title')}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/gopy.css">
<script src="/assets/gopy.js" defer></script>
</head>
<body class="desk">
<a class="skip" href="#main">${t('skip.main')}</a>
<header class="site">
  <div class="wrap wide">
    <a class="brand" href="/ban-lam-viec">${t('desk.title')}</a>
    <nav aria-label="${lang === 'vi' ? 'Bàn làm việc' : 'Desk'}">
      ${principal.collaboratorId ? html`<a href="/ban-lam-viec?view=mine" data-key="g m">${t('desk.view.mine')}</a>` : ''}
      ${
        principal.unitId && principal.roles.some((r) => r === 'operator' || r === 'unit_lead')
          ? html`<a href="/ban-lam-viec?view=unit" data-key="g u">${t('desk.view.unit')}</a>`
          : ''
      }
      ${principal.roles.some((r) => r !== 'collaborator') ? html`<a href="/ban-lam-viec?view=all">${t('desk.view.all')}</a>` : ''}
      ${
        principal.roles.some((r) => r === 'operator' || r === 'unit_lead')
          ? html`<a href="/ban-lam-viec/cuoc-goi">${t('nav.call')}</a><a href="/ban-lam-viec/thu">${t('nav.letter')}</a>`
          : ''
      }
      ${
        principal.roles.some((r) => r === 'committee' || r === 'admin' || r === 'unit_lead')
          ? html`<a href="/ban-lam-viec/tong-hop">${t('nav.digest')}</a>`
          : ''
      }
      <a href="/ban-lam-viec/tong-hop/nong">${t('nav.hot')}</a>
      ${principal.roles.includes('admin') ? html`<a href="/ban-lam-viec/quan-tri">${t('admin.title')}</a>` : ''}
      <a href="/ngon-ngu/${other}?next=${next}" hreflang="${other}"><span class="visually-hidden">${t(
        'lang.switch.label',
      )}: </span><span lang="${other}">${t('lang.switch')}</span></a>
    </nav>
    <form method="post" action="/dang-xuat" class="signout">
      ${csrfField(frame.csrfToken)}
      <span class="who">${t('desk.signedInAs', { name: principal.fullName })} · ${roles}</span>
      <button type="submit" class="link-button">${t('logout.submit')}</button>
    </form>
  </div>
</header>
<main id="main" class="wrap wide" tabindex="-1">
${frame.body}
</main>
</body>
</html>`.value
  );
}
