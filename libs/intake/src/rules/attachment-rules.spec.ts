import { attachmentIssues, safeFilename } from './attachment-rules';

const limits = { maxBytes: 10, maxFiles: 2 };
const png = { filename: 'a.png', bytes: Buffer.alloc(5, 1), sniffedType: 'image/png' };

describe('attachment rules', () => {
  it('accept allowed types within limits', () => {
    expect(attachmentIssues([png, { ...png, sniffedType: 'application/pdf' }], limits)).toEqual({});
  });

  it('refuse too many files, empty, oversized and unknown types', () => {
    expect(attachmentIssues([png, png, png], limits).attachments.code).toBe('too_many_files');
    expect(attachmentIssues([{ ...png, bytes: Buffer.alloc(0) }], limits).attachments.code).toBe('attachment_empty');
    expect(attachmentIssues([{ ...png, bytes: Buffer.alloc(11) }], limits).attachments.code).toBe(
      'attachment_too_large',
    );
    expect(
      attachmentIssues([{ ...png, filename: 'x.png', sniffedType: 'application/x-msdownload' }], limits).attachments,
    ).toEqual({
      code: 'attachment_type',
      params: { name: 'x.png' },
    });
    expect(attachmentIssues([{ ...png, sniffedType: undefined }], limits).attachments.code).toBe('attachment_type');
  });

  it('strip paths and control characters from names', () => {
    expect(safeFilename('C:\\Users\\an\\ảnh\u0000.jpg', 200)).toBe('ảnh.jpg');
    expect(safeFilename('../../etc/passwd', 200)).toBe('passwd');
    expect(safeFilename('', 200)).toBe('tep-dinh-kem');
  });
});
