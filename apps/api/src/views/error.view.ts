import { Language, translate } from '@gopy/i18n';
import { html } from '@gopy/text';
import { renderPage } from './layout.view';

export function renderErrorPage(lang: Language, status: number, message: string, path: string): string {
  const title =
    status === 404
      ? translate(lang, 'page.notFound.title')
      : status === 429
        ? translate(lang, 'page.tooMany.title')
        : translate(lang, 'page.error.title');
  return renderPage({
    lang,
    title,
    path: path.startsWith('/') ? path.split('?')[0] : '/',
    body: html`<h1>${title}</h1><p>${message}</p><p><a class="button secondary" href="/">${translate(lang, 'page.back')}</a></p>`,
  });
}
