// The one registry of queues, jobs and their payloads, shared by producers and the worker.
// Payloads carry ids only: Redis keeps job data in plain text.

export enum QueueName {
  Intake = 'intake',
  Mail = 'mail',
  Desk = 'desk',
}

export enum JobName {
  CaseReceived = 'case.received',
  FollowUpReceived = 'case.follow-up-received',
  MailSend = 'mail.send',
  CaseRoute = 'case.route',
  CaseAssigned = 'case.assigned',
  ResponseDeliver = 'response.deliver',
  SlaSweep = 'sla.sweep',
  DigestBuild = 'digest.build',
}

export interface JobPayloads {
  [JobName.CaseReceived]: { caseId: string; submissionId: string };
  [JobName.FollowUpReceived]: { caseId: string; submissionId: string };
  [JobName.MailSend]: { mailId: string };
  [JobName.CaseRoute]: { caseId: string };
  [JobName.CaseAssigned]: { caseId: string; collaboratorId: string; assignmentId: string };
  [JobName.ResponseDeliver]: { responseId: string };
  [JobName.SlaSweep]: Record<string, never>;
  [JobName.DigestBuild]: Record<string, never>;
}

export const JOB_QUEUE: { readonly [J in JobName]: QueueName } = {
  [JobName.CaseReceived]: QueueName.Intake,
  [JobName.FollowUpReceived]: QueueName.Intake,
  [JobName.MailSend]: QueueName.Mail,
  [JobName.CaseRoute]: QueueName.Intake,
  [JobName.CaseAssigned]: QueueName.Desk,
  [JobName.ResponseDeliver]: QueueName.Desk,
  [JobName.SlaSweep]: QueueName.Desk,
  [JobName.DigestBuild]: QueueName.Desk,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checks that a payload is what the registry promises: known keys, each an id. */
export function isValidPayload<J extends JobName>(job: J, payload: unknown): payload is JobPayloads[J] {
  if (typeof payload !== 'object' || payload === null) return false;
  const expected: Record<JobName, string[]> = {
    [JobName.CaseReceived]: ['caseId', 'submissionId'],
    [JobName.FollowUpReceived]: ['caseId', 'submissionId'],
    [JobName.MailSend]: ['mailId'],
    [JobName.CaseRoute]: ['caseId'],
    [JobName.CaseAssigned]: ['caseId', 'collaboratorId', 'assignmentId'],
    [JobName.ResponseDeliver]: ['responseId'],
    [JobName.SlaSweep]: [],
    [JobName.DigestBuild]: [],
  };
  const keys = Object.keys(payload).sort();
  const want = [...expected[job]].sort();
  return (
    keys.length === want.length &&
    keys.every(
      (k, i) =>
        k === want[i] &&
        typeof (payload as Record<string, unknown>)[k] === 'string' &&
        UUID.test((payload as Record<string, string>)[k]),
    )
  );
}
