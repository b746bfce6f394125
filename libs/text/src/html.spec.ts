import { html, unsafeRaw } from './html';

describe('html', () => {
  it('escapes interpolated text', () => {
    expect(html`<p>${`<script>alert("x")</script>'`}</p>`.value).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;</p>',
    );
  });

  it('nests safe fragments and lists without double escaping', () => {
    const items = ['a&b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${unsafeRaw('<hr>')}`.value).toBe('<ul><li>a&amp;b</li><li>c</li></ul><hr>');
  });

  it('drops null, undefined and false', () => {
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
  });
});
