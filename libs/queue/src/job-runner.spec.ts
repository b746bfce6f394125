import { JobName } from './job-registry';
import { collectHandlers } from './job-runner';

describe('collectHandlers', () => {
  const handler = async () => undefined;
  const all = Object.values(JobName).map((job) => ({ job, owner: `P.${job}`, handler }));

  it('maps every job to its one handler', () => {
    expect(collectHandlers(all).size).toBe(Object.values(JobName).length);
  });

  it('refuses to start when a job has no handler', () => {
    expect(() => collectHandlers(all.filter((h) => h.job !== JobName.MailSend))).toThrow(
      `job ${JobName.MailSend} has no handler`,
    );
  });

  it('refuses to start when a job has two handlers', () => {
    expect(() => collectHandlers([...all, { job: JobName.CaseReceived, owner: 'Other.handle', handler }])).toThrow(
      /has 2 handlers/,
    );
  });
});
