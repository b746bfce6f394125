import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { GopyConfig } from '@gopy/config';
import { ResponseDelivery, SlaSweeper, type SweepResult } from '@gopy/desk';
import { JobHandler, JobName, JobPayloads, QueueProducer } from '@gopy/queue';
import { RoutingService } from '@gopy/routing';

/** Routing again (after a decline, a reclassification or a release) and telling the new assignee. */
@Injectable()
export class CaseRouteProcessor {
  constructor(
    private readonly routing: RoutingService,
    private readonly sweeper: SlaSweeper,
  ) {}

  @JobHandler(JobName.CaseRoute)
  async handle({ caseId }: JobPayloads[JobName.CaseRoute]): Promise<string | null> {
    const routed = await this.routing.route(caseId);
    if (routed) await this.sweeper.notifyAssignment(routed.caseId, routed.assigneeId, routed.assignmentId);
    return routed?.assigneeId ?? null;
  }
}

/** A person assigned by hand hears about it like anyone routed automatically. */
@Injectable()
export class CaseAssignedProcessor {
  constructor(private readonly sweeper: SlaSweeper) {}

  @JobHandler(JobName.CaseAssigned)
  async handle({ caseId, collaboratorId, assignmentId }: JobPayloads[JobName.CaseAssigned]): Promise<void> {
    await this.sweeper.notifyAssignment(caseId, collaboratorId, assignmentId);
  }
}

@Injectable()
export class ResponseDeliverProcessor {
  constructor(private readonly delivery: ResponseDelivery) {}

  @JobHandler(JobName.ResponseDeliver)
  async handle({ responseId }: JobPayloads[JobName.ResponseDeliver]): Promise<number> {
    return (await this.delivery.deliver(responseId)).length;
  }
}

/** The SLA sweep, on a schedule every worker agrees on (one BullMQ job scheduler). */
@Injectable()
export class SlaSweepProcessor implements OnApplicationBootstrap {
  constructor(
    private readonly sweeper: SlaSweeper,
    private readonly producer: QueueProducer,
    private readonly config: GopyConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.sla.sweepSeconds > 0)
      await this.producer.schedule(JobName.SlaSweep, {}, this.config.sla.sweepSeconds * 1000);
  }

  @JobHandler(JobName.SlaSweep)
  async handle(): Promise<SweepResult> {
    return this.sweeper.sweep();
  }
}
