import { renderReceipt } from './receipt.template';

describe('receipt mail', () => {
  const model = {
    trackingCode: 'ABCDE-FGHJK-MNPQR',
    subject: 'Đèn đường <hỏng>',
    receivedAt: new Date('2026-11-21T03:00:00Z'),
    trackingUrl: 'http://localhost:3000/theo-doi/ABCDE-FGHJK-MNPQR',
  };

  it('carries the code in the subject and the tracking link, in Vietnamese', () => {
    const mail = renderReceipt({ ...model, language: 'vi' });
    expect(mail.subject).toBe('[ABCDE-FGHJK-MNPQR] Đã nhận ý kiến của bạn: Đèn đường <hỏng>');
    expect(mail.text).toContain('Mã hồ sơ: ABCDE-FGHJK-MNPQR');
    expect(mail.text).toContain('10:00 21/11/2026');
    expect(mail.html).toContain('href="http://localhost:3000/theo-doi/ABCDE-FGHJK-MNPQR"');
    expect(mail.html).toContain('Đèn đường &lt;hỏng&gt;');
  });

  it('speaks English when asked', () => {
    expect(renderReceipt({ ...model, language: 'en' }).subject).toContain('We received your opinion');
  });
});
