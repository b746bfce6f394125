import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { QueueName, blockingRedisOptions } from '@gopy/queue';
import { GopyHarness } from './utils/gopy-harness';
import { OwnRedis } from './utils/own-redis';
import { SmtpCapture } from './utils/smtp-capture';
import { testConfig } from './utils/test-env';
import { waitFor } from './utils/wait-for';

describe('nothing is lost while Redis is down', () => {
  const redis = new OwnRedis();
  const smtp = new SmtpCapture();
  let gopy: GopyHarness;

  beforeAll(async () => {
    await redis.start();
    await smtp.start();
    gopy = new GopyHarness(testConfig({ REDIS_URL: redis.url, SMTP_URL: smtp.url, OUTBOX_POLL_MS: '300' }));
    await gopy.startApi();
    await gopy.startWorker();
  });

  afterAll(async () => {
    await gopy.stop();
    await smtp.stop();
    await redis.stop();
  });

  it('gives tracking codes with Redis stopped, then drains the backlog once when it returns', async () => {
    await redis.stop();
    const marker = randomUUID().slice(0, 8);
    const emails = [0, 1, 2].map((i) => `mat-redis-${marker}-${i}@example.vn`);
    const codes: string[] = [];
    for (const email of emails) {
      const response = await gopy.inject({
        method: 'POST',
        url: '/api/v1/submissions',
        payload: {
          topic: 'phan_anh_kien_nghi',
          subject: `Mất điện kéo dài ${marker}`,
          body: 'Khu phố mất điện từ sáng đến chiều mà không có thông báo trước.',
          anonymous: false,
          email,
          consent: true,
        },
      });
      expect(response.statusCode).toBe(201);
      codes.push(response.json().trackingCode);
    }
    expect(new Set(codes).size).toBe(3);

    const health = await gopy.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'degraded', database: 'up', redis: 'down' });

    const pending = async () =>
      (
        await gopy.db.query(
          `SELECT o.id, o.published_at, o.attempts FROM outbox o JOIN cases c ON c.id = (o.payload->>'caseId')::uuid
            WHERE c.subject = $1 ORDER BY o.id`,
          [`Mất điện kéo dài ${marker}`],
        )
      ).rows;
    // The relay tried, failed, and kept every row for later.
    await waitFor(
      async () => (await pending()).every((r) => r.attempts > 0 && r.published_at === null),
      10_000,
      'relay attempts',
    );
    expect(smtp.mails.filter((m) => emails.includes(m.envelopeTo[0]))).toHaveLength(0);

    await redis.start();
    await waitFor(async () => (await pending()).every((r) => r.published_at !== null), 30_000, 'backlog published');
    await waitFor(() => emails.every((e) => smtp.to(e).length > 0), 30_000, 'receipts');

    // Give any duplicate a chance to show up, then count: one receipt per opinion.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const email of emails) expect(smtp.to(email)).toHaveLength(1);

    const queue = new Queue(QueueName.Intake, {
      prefix: gopy.config.redis.queuePrefix,
      connection: blockingRedisOptions(redis.url),
    });
    try {
      for (const row of await pending()) {
        const job = await queue.getJob(`outbox-${row.id}`);
        expect(job?.data).toEqual({ caseId: expect.any(String), submissionId: expect.any(String) });
      }
    } finally {
      await queue.close();
    }
  });
});
