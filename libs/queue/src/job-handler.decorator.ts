import { SetMetadata } from '@nestjs/common';
import { JobName } from './job-registry';

export const JOB_HANDLER = Symbol('gopy:job-handler');

/** Marks a provider method as the one handler of a job. */
export const JobHandler = (job: JobName): MethodDecorator => SetMetadata(JOB_HANDLER, job);

/** Thrown by a handler when retrying cannot help (bad payload, record gone). */
export class PermanentJobError extends Error {}
