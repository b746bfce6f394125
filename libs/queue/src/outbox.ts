import type { EntityManager } from 'typeorm';
import { JobName, JobPayloads } from './job-registry';

// Must match the trigger tr_outbox_notify in the migrations.
export const OUTBOX_CHANNEL = 'gopy_outbox';

/**
 * Records a job in the outbox inside the caller's transaction. It reaches BullMQ only
 * after the transaction commits; NOTIFY (delivered at commit) wakes the relay at once.
 */
export async function enqueueInOutbox<J extends JobName>(
  manager: EntityManager,
  job: J,
  payload: JobPayloads[J],
): Promise<void> {
  await manager.query(`INSERT INTO outbox (job, payload) VALUES ($1, $2)`, [job, payload]);
}
