import { JOB_QUEUE, JobName, isValidPayload } from './job-registry';

describe('job registry', () => {
  const id = '0b9f8c52-63a1-4c36-9d8e-0a1b2c3d4e5f';

  it('maps every job to a queue', () => {
    for (const job of Object.values(JobName)) expect(JOB_QUEUE[job]).toBeDefined();
  });

  it('accepts payloads made of ids only', () => {
    expect(isValidPayload(JobName.CaseReceived, { caseId: id, submissionId: id })).toBe(true);
    expect(isValidPayload(JobName.MailSend, { mailId: id })).toBe(true);
  });

  it('refuses payloads with extra fields such as personal data, or non-ids', () => {
    expect(isValidPayload(JobName.MailSend, { mailId: id, email: 'a@b.vn' })).toBe(false);
    expect(isValidPayload(JobName.MailSend, { mailId: 'nguyen@example.vn' })).toBe(false);
    expect(isValidPayload(JobName.CaseReceived, null)).toBe(false);
  });
});
