import { FieldValidationError } from '@gopy/errors';
import { CreateSubmissionDto } from './create-submission.dto';
import { validateDto } from './validate-dto';

async function issuesOf(plain: unknown) {
  try {
    await validateDto(CreateSubmissionDto, plain);
    return {};
  } catch (error) {
    return (error as FieldValidationError).fields;
  }
}

describe('CreateSubmissionDto', () => {
  const valid = { topic: 'hoi_dap', subject: 'Giờ làm việc', body: 'Xin hỏi giờ tiếp dân của Sở?', anonymous: true };

  it('accepts a valid anonymous opinion and normalises it to NFC', async () => {
    const dto = await validateDto(CreateSubmissionDto, { ...valid, subject: '  Giờ   làm việc '.normalize('NFD') });
    expect(dto.subject).toBe('Giờ làm việc');
  });

  it('names each missing field with "required" first', async () => {
    expect(await issuesOf({})).toMatchObject({
      topic: { code: 'choose' },
      subject: { code: 'required' },
      body: { code: 'required' },
      anonymous: { code: 'choose' },
    });
  });

  it('reports lengths with their limit', async () => {
    expect(await issuesOf({ ...valid, subject: 'abc', body: 'x'.repeat(10_001) })).toEqual({
      subject: { code: 'too_short', params: { min: 5 } },
      body: { code: 'too_long', params: { max: 10_000 } },
    });
  });

  it('refuses unknown fields and bad emails', async () => {
    expect(await issuesOf({ ...valid, isAdmin: true, email: 'not-an-email' })).toMatchObject({
      isAdmin: { code: 'unknown_field' },
      email: { code: 'invalid_email' },
    });
  });

  it('treats blank optional fields as not given', async () => {
    const dto = await validateDto(CreateSubmissionDto, { ...valid, name: '   ', email: '' });
    expect(dto.name).toBeUndefined();
    expect(dto.email).toBeUndefined();
  });
});
