import { Language, translate } from '@gopy/i18n';
import { SafeHtml, html } from '@gopy/text';

export interface PageFrame {
  lang: Language;
  title: string;
  // The path to come back to after switching language.
  path: string;
  body: SafeHtml;
}

/** The frame of every public page: one column, skip link, language switch, no third-party assets. */
export function renderPage(frame: PageFrame): string {
  const { lang } = frame;
  const other: Language = lang === 'vi' ? 'en' : 'vi';
  const next = encodeURIComponent(frame.path);
  return (
    '<!doctype html>\n' +
    html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · ${translate(lang, 'app.name')}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/gopy.css">
<script src="/assets/gopy.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${translate(lang, 'skip.main')}</a>
<header class="site">
  <div class="wrap">
    <a class="brand" href="/">${translate(lang, 'app.name')}</a>
    <nav aria-label="${lang === 'vi' ? 'Chính' : 'Main'}">
      <a href="/">${translate(lang, 'nav.form')}</a>
      <a href="/theo-doi">${translate(lang, 'nav.track')}</a>
      <a href="/ngon-ngu/${other}?next=${next}" hreflang="${other}"><span class="visually-hidden">${translate(lang, 'lang.switch.label')}: </span><span lang="${other}">${translate(lang, 'lang.switch')}</span></a>
    </nav>
  </div>
</header>
<main id="main" class="wrap" tabindex="-1">
${frame.body}
</main>
<footer class="site"><div class="wrap">${translate(lang, 'app.tagline')}</div></footer>
</body>
</html>`.value
  );
}
