import { normalizeMessageId, normalizeMessageIds, threadKeys, trackingCodeInSubject } from './threading';

// A checksum-valid code, made with generateTrackingCode() from @gopy/cases.
const CODE = 'XJEW43TRH2ZTBNQ';

describe('threadKeys', () => {
  it('lists In-Reply-To then References from newest to oldest, without duplicates', () => {
    expect(
      threadKeys({
        inReplyTo: '<c@example.vn>',
        references: '<a@example.vn>\r\n <b@example.vn> <c@example.vn>',
      }),
    ).toEqual({ messageIds: ['<c@example.vn>', '<b@example.vn>', '<a@example.vn>'] });
  });

  it('accepts references as an array and bare ids', () => {
    expect(threadKeys({ inReplyTo: 'receipt.1@gopy.test', references: ['<a@x.vn>', '<b@x.vn>'] }).messageIds).toEqual([
      '<receipt.1@gopy.test>',
      '<b@x.vn>',
      '<a@x.vn>',
    ]);
  });

  it('returns no ids and no code for a fresh message', () => {
    expect(threadKeys({ subject: 'Phản ánh về đèn đường' })).toEqual({ messageIds: [] });
  });

  it('finds a tracking code in the subject', () => {
    expect(threadKeys({ subject: `Re: [XJEW4-3TRH2-ZTBNQ] Phản ánh về rác thải` })).toEqual({
      messageIds: [],
      trackingCode: CODE,
    });
  });
});

describe('trackingCodeInSubject', () => {
  it.each([
    'Re: [XJEW4-3TRH2-ZTBNQ] Rác thải',
    'Re: XJEW4-3TRH2-ZTBNQ',
    'Trả lời: mã xjew4-3trh2-ztbnq',
    'Re: [XJEW43TRH2ZTBNQ] Rác thải',
    'Re: [ xjew43trh2ztbnq ]',
  ])('reads %s', (subject) => {
    expect(trackingCodeInSubject(subject)).toBe(CODE);
  });

  it.each([
    'Re: [XJEW4-3TRH2-ZTBNR] wrong check symbol',
    'Re: XJEW43TRH2ZTBNQ without brackets or dashes',
    'Re: AXJEW4-3TRH2-ZTBNQ glued to a letter',
    'Re: [23456-789AB-CDEFG] not a real code',
    'Re: [XJEW4-3TRH2-ZTBN0] 0 is not in the alphabet',
    '',
  ])('ignores %s', (subject) => {
    expect(trackingCodeInSubject(subject)).toBeUndefined();
  });

  it('skips an invalid code and takes the next valid one', () => {
    expect(trackingCodeInSubject('Re: [23456-789AB-CDEFG] Fwd: [XJEW4-3TRH2-ZTBNQ]')).toBe(CODE);
  });
});

describe('normalizeMessageIds', () => {
  it('keeps angle brackets and drops noise', () => {
    expect(normalizeMessageIds('  <A1@Example.VN> (comment) <b2@example.vn>')).toEqual([
      '<A1@Example.VN>',
      '<b2@example.vn>',
    ]);
    expect(normalizeMessageId('x@y.vn')).toBe('<x@y.vn>');
    expect(normalizeMessageId('')).toBeNull();
    expect(normalizeMessageId(undefined)).toBeNull();
  });
});
