import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobRunner } from './job-runner';
import { OutboxEntity } from './outbox.entity';
import { OutboxRelay } from './outbox-relay';
import { QueueProducer } from './queue-producer';

/** What producers need: the outbox entity and a producer. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEntity])],
  providers: [QueueProducer],
  exports: [QueueProducer, TypeOrmModule],
})
export class QueueModule {}

/** What the worker adds: the relay and the job runner. */
@Module({
  imports: [QueueModule, DiscoveryModule],
  providers: [OutboxRelay, JobRunner],
  exports: [OutboxRelay],
})
export class QueueWorkerModule {}
