import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { DEFAULT_SAMPLE_SIZE, type OpinionForClustering, WeekClustering } from './rules/clusters';
import { type WeekBounds, lastCompleteWeek, previousWeek, weekBounds } from './rules/iso-week';
import { excerpt, redactPersonalData } from './rules/redact';

const TZ = 'Asia/Ho_Chi_Minh';
const OPEN = `('received','triaged','assigned','in_progress')`;
// Opinions read from the database at a time, past the sample.
const OPINION_BATCH = 1000;

export interface Count {
  key: string;
  week: number;
  previous: number;
}

/** The figures of one week: counts, clocks and lists; never a word a submitter wrote. */
export interface DigestData {
  week: string;
  start: string;
  end: string;
  received: { total: number; previous: number; byChannel: Count[]; byTopic: Count[]; byUnit: Count[] };
  trend: { week: string; received: number }[];
  backlog: { open: number; ageing: { bucket: string; cases: number }[] };
  deadlines: {
    firstResponseDue: number;
    firstResponseOnTime: number;
    resolutionDue: number;
    resolutionOnTime: number;
  };
  durations: {
    firstResponseHours: { median: number | null; p90: number | null; cases: number };
    resolutionHours: { median: number | null; p90: number | null; cases: number };
  };
  units: { code: string; name: string; received: number; open: number; overdue: number; onTimeShare: number | null }[];
  spikes: { topic: string; unit: string; week: number; trailingAverage: number }[];
  overdue: { caseId: string; trackingCode: string; topic: string; unit: string | null; daysOverdue: number }[];
  // Similar opinions from different people this week; the excerpt has personal data removed.
  hotIssues: {
    size: number;
    submitters: number;
    units: string[];
    terms: string[];
    excerpt: string;
    caseIds: string[];
    previousWeek: number;
  }[];
}

export interface StoredDigest {
  id: string;
  week: string;
  version: number;
  builtAt: Date;
  builtBy: string;
  data: DigestData;
}

/**
 * Builds the weekly digest by SQL aggregation (no case is loaded into Node; opinions are read
 * in batches for the hot issues) and keeps it.
 * The scheduled build is idempotent per ISO week: it claims version 1, and a second
 * scheduler, a replayed job or a start-up catch-up finds it taken and builds nothing; they
 * only hand back a week whose mail never reached the queue, to mail it again.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The scheduled build of the last complete week, once; returns the digest still to mail:
   * the one this call built, or one built earlier whose mail never reached the queue.
   */
  async buildDue(now = new Date(), by = 'schedule'): Promise<StoredDigest | undefined> {
    const week = lastCompleteWeek(now);
    return (await this.buildOnce(week, by)) ?? this.unmailed(week);
  }

  /** The week's latest digest if no version of the week was mailed. */
  async unmailed(week: string): Promise<StoredDigest | undefined> {
    return this.newest(
      `iso_week = $1 AND NOT EXISTS (SELECT 1 FROM digests m WHERE m.iso_week = $1 AND m.mailed_at IS NOT NULL)`,
      [week],
    );
  }

  /** The digest's mails are stored and queued: later runs leave the week alone. */
  async markMailed(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE digests SET mailed_at = now() WHERE id = $1 AND mailed_at IS NULL`, [id]);
  }

  /** Builds `week` as version 1 unless it exists; returns the digest when this call made it. */
  async buildOnce(week: string, by: string): Promise<StoredDigest | undefined> {
    const bounds = weekBounds(week);
    const [existing] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM digests WHERE iso_week = $1`, [week]);
    if (existing) return undefined;
    const data = await this.compute(bounds);
    const [row] = await this.dataSource.query<{ id: string; built_at: Date }[]>(
      `INSERT INTO digests (iso_week, version, period_start, period_end, data, built_by)
       VALUES ($1, 1, $2, $3, $4, $5) ON CONFLICT (iso_week, version) DO NOTHING RETURNING id, built_at`,
      [week, bounds.start, bounds.end, data, by],
    );
    if (!row) return undefined;
    this.logger.log({ week }, 'digest built');
    return { id: row.id, week, version: 1, builtAt: row.built_at, builtBy: by, data };
  }

  /** An admin's rebuild: the next version of the week; earlier versions stay. */
  async rebuild(week: string, by: string): Promise<StoredDigest> {
    const bounds = weekBounds(week);
    const data = await this.compute(bounds);
    for (;;) {
      const [row] = await this.dataSource.query<{ id: string; version: number; built_at: Date }[]>(
        `INSERT INTO digests (iso_week, version, period_start, period_end, data, built_by)
         SELECT $1::varchar, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM digests WHERE iso_week = $1::varchar
         ON CONFLICT (iso_week, version) DO NOTHING RETURNING id, version, built_at`,
        [week, bounds.start, bounds.end, data, by],
      );
      if (row) return { id: row.id, week, version: row.version, builtAt: row.built_at, builtBy: by, data };
    }
  }

  /** The week's newest version, or the version asked for (older versions are kept). */
  async latest(week: string, version?: number): Promise<StoredDigest | undefined> {
    return version === undefined
      ? this.newest(`iso_week = $1`, [week])
      : this.newest(`iso_week = $1 AND version = $2`, [week, version]);
  }

  private async newest(where: string, params: unknown[]): Promise<StoredDigest | undefined> {
    const [row] = await this.dataSource.query<
      { id: string; iso_week: string; version: number; built_at: Date; built_by: string; data: DigestData }[]
    >(
      `SELECT id, iso_week, version, built_at, built_by, data FROM digests WHERE ${where}
        ORDER BY version DESC LIMIT 1`,
      params,
    );
    return (
      row && {
        id: row.id,
        week: row.iso_week,
        version: row.version,
        builtAt: row.built_at,
        builtBy: row.built_by,
        data: row.data,
      }
    );
  }

  async archive(): Promise<{ week: string; versions: number; builtAt: Date }[]> {
    const rows = await this.dataSource.query<{ iso_week: string; versions: number; built_at: Date }[]>(
      `SELECT iso_week, count(*)::int AS versions, max(built_at) AS built_at FROM digests
        GROUP BY iso_week ORDER BY iso_week DESC LIMIT 104`,
    );
    return rows.map((r) => ({ week: r.iso_week, versions: r.versions, builtAt: r.built_at }));
  }

  /**
   * Every figure of a week, each by one aggregate statement, all from one snapshot (a
   * read-only transaction) and with JIT off: compiling these short analytic statements cost
   * 0.1-0.2 s each on a 1,000,000-case year, often more than running them.
   */
  async compute(bounds: WeekBounds): Promise<DigestData> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`SET TRANSACTION READ ONLY`);
      await runner.query(`SET LOCAL jit = off`);
      const data = await this.computeIn(runner, bounds);
      await runner.commitTransaction();
      return data;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async computeIn(runner: QueryRunner, bounds: WeekBounds): Promise<DigestData> {
    const prev = weekBounds(previousWeek(bounds.week));
    const q = <T>(sql: string, params: unknown[]) => runner.query(sql, params) as Promise<T>;
    const window = [bounds.start, bounds.end, prev.start];

    const grouped = async (expr: string) =>
      (
        await q<{ key: string | null; week: number; previous: number }[]>(
          `SELECT ${expr} AS key,
                  count(*) FILTER (WHERE c.created_at >= $1)::int AS week,
                  count(*) FILTER (WHERE c.created_at < $1)::int AS previous
             FROM cases c LEFT JOIN units u ON u.id = c.unit_id
            WHERE c.created_at >= $3 AND c.created_at < $2 AND c.merged_into_id IS NULL
            GROUP BY 1 ORDER BY 2 DESC, 1`,
          window,
        )
      ).map((r) => ({ key: r.key ?? '', week: r.week, previous: r.previous }));
    const byChannel = await grouped('c.channel');
    const byTopic = await grouped('c.topic');
    const byUnit = await grouped('u.code');

    const trendStart = new Date(bounds.end.getTime() - 8 * 7 * 24 * 3600 * 1000);
    const trend = await q<{ week: string; received: number }[]>(
      `SELECT to_char(date_trunc('week', c.created_at AT TIME ZONE '${TZ}'), 'IYYY-"W"IW') AS week,
              count(*)::int AS received
         FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2 AND c.merged_into_id IS NULL
        GROUP BY 1 ORDER BY 1`,
      [trendStart, bounds.end],
    );

    // Open at the end of the week: received before it ended, not closed by then.
    const openAtEnd = `c.created_at < $1 AND c.status NOT IN ('spam','rejected')
      AND (c.closed_at IS NULL OR c.closed_at >= $1) AND c.merged_into_id IS NULL`;
    const ageing = await q<{ bucket: string; cases: number }[]>(
      `SELECT bucket, count(*)::int AS cases FROM (
         SELECT CASE WHEN $1::timestamptz - c.created_at < interval '3 days' THEN '0-2'
                     WHEN $1::timestamptz - c.created_at < interval '8 days' THEN '3-7'
                     WHEN $1::timestamptz - c.created_at < interval '15 days' THEN '8-14'
                     WHEN $1::timestamptz - c.created_at < interval '31 days' THEN '15-30'
                     ELSE '31+' END AS bucket
           FROM cases c WHERE ${openAtEnd}) aged
        GROUP BY bucket`,
      [bounds.end],
    );
    const order = ['0-2', '3-7', '8-14', '15-30', '31+'];
    const backlog = {
      open: ageing.reduce((sum, b) => sum + b.cases, 0),
      ageing: order.map((bucket) => ({ bucket, cases: ageing.find((b) => b.bucket === bucket)?.cases ?? 0 })),
    };

    const [deadlines] = await q<DigestData['deadlines'][]>(
      `SELECT count(*) FILTER (WHERE first_response_due_at >= $1 AND first_response_due_at < $2)::int AS "firstResponseDue",
              count(*) FILTER (WHERE first_response_due_at >= $1 AND first_response_due_at < $2
                                 AND first_responded_at <= first_response_due_at)::int AS "firstResponseOnTime",
              count(*) FILTER (WHERE resolution_due_at >= $1 AND resolution_due_at < $2)::int AS "resolutionDue",
              count(*) FILTER (WHERE resolution_due_at >= $1 AND resolution_due_at < $2
                                 AND closed_at <= resolution_due_at)::int AS "resolutionOnTime"
         FROM cases WHERE (first_response_due_at >= $1 AND first_response_due_at < $2)
                       OR (resolution_due_at >= $1 AND resolution_due_at < $2)`,
      [bounds.start, bounds.end],
    );
    const hours = async (column: string) => {
      const [row] = await q<{ median: number | null; p90: number | null; cases: number }[]>(
        `SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${column} - created_at)) / 3600)::numeric, 1)::float8 AS median,
                round((percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM ${column} - created_at)) / 3600)::numeric, 1)::float8 AS p90,
                count(*)::int AS cases
           FROM cases WHERE ${column} >= $1 AND ${column} < $2`,
        [bounds.start, bounds.end],
      );
      return row;
    };
    const durations = {
      firstResponseHours: await hours('first_responded_at'),
      resolutionHours: await hours('closed_at'),
    };

    const units = await q<DigestData['units']>(
      `SELECT u.code, u.name,
              count(*) FILTER (WHERE c.created_at >= $1 AND c.created_at < $2)::int AS received,
              count(*) FILTER (WHERE c.created_at < $2 AND c.status NOT IN ('spam','rejected')
                                 AND (c.closed_at IS NULL OR c.closed_at >= $2))::int AS open,
              count(*) FILTER (WHERE c.status IN ${OPEN} AND c.created_at < $2 AND
                                 ((c.first_responded_at IS NULL AND c.first_response_due_at < $2)
                                  OR c.resolution_due_at < $2))::int AS overdue,
              round(avg(CASE WHEN c.first_response_due_at >= $1 AND c.first_response_due_at < $2
                             THEN coalesce(c.first_responded_at <= c.first_response_due_at, false)::int END)::numeric, 3)::float8 AS "onTimeShare"
         FROM units u JOIN cases c ON c.unit_id = u.id AND c.merged_into_id IS NULL
        WHERE c.created_at < $2
          -- Only cases that can count: any other adds 0 to every figure and to the HAVING.
          AND (c.created_at >= $1 OR c.closed_at IS NULL OR c.closed_at >= $2 OR c.status IN ${OPEN}
               OR (c.first_response_due_at >= $1 AND c.first_response_due_at < $2))
        GROUP BY u.code, u.name
       HAVING count(*) FILTER (WHERE c.created_at >= $1 AND c.created_at < $2) > 0
           OR count(*) FILTER (WHERE c.status IN ${OPEN}) > 0
        ORDER BY u.code`,
      [bounds.start, bounds.end],
    );

    const spikes = await q<DigestData['spikes']>(
      `WITH weekly AS (
         SELECT c.topic, u.code AS unit,
                count(*) FILTER (WHERE c.created_at >= $1)::int AS week,
                (count(*) FILTER (WHERE c.created_at < $1))::float8 / 8 AS prior_avg
           FROM cases c JOIN units u ON u.id = c.unit_id
          WHERE c.created_at >= $3 AND c.created_at < $2 AND c.merged_into_id IS NULL
          GROUP BY c.topic, u.code)
       SELECT topic, unit, week, round(prior_avg::numeric, 2)::float8 AS "trailingAverage" FROM weekly
        WHERE week >= 3 AND week >= 3 * greatest(prior_avg, 0.5)
        ORDER BY week DESC, topic LIMIT 20`,
      [bounds.start, bounds.end, new Date(bounds.start.getTime() - 8 * 7 * 24 * 3600 * 1000)],
    );

    const overdue = await q<
      { case_id: string; tracking_code: string; topic: string; unit: string | null; days_overdue: number }[]
    >(
      `SELECT c.id AS case_id, c.tracking_code, c.topic, u.code AS unit,
              floor(extract(epoch FROM $1::timestamptz - CASE WHEN c.first_responded_at IS NULL
                    THEN c.first_response_due_at ELSE c.resolution_due_at END) / 86400)::int AS days_overdue
         FROM cases c LEFT JOIN units u ON u.id = c.unit_id
        WHERE c.status IN ${OPEN} AND c.created_at < $1 AND
              ((c.first_responded_at IS NULL AND c.first_response_due_at < $1) OR c.resolution_due_at < $1)
        ORDER BY days_overdue DESC, c.tracking_code LIMIT 50`,
      [bounds.end],
    );

    const hotIssues = await this.hotIssues(runner, bounds, prev);

    return {
      week: bounds.week,
      start: bounds.start.toISOString(),
      end: bounds.end.toISOString(),
      received: {
        total: byChannel.reduce((sum, c) => sum + c.week, 0),
        previous: byChannel.reduce((sum, c) => sum + c.previous, 0),
        byChannel,
        byTopic,
        byUnit,
      },
      trend,
      backlog,
      deadlines,
      durations,
      units,
      spikes,
      overdue: overdue.map((o) => ({
        caseId: o.case_id,
        trackingCode: o.tracking_code,
        topic: o.topic,
        unit: o.unit,
        daysOverdue: o.days_overdue,
      })),
      hotIssues,
    };
  }

  /**
   * Hot issues: this week's opinions (one per case: the first submission) clustered by
   * Vietnamese-aware similarity; only clusters from three or more different people count. A large week
   * is clustered from a sample, then the rest of its opinions join the sample's groups, read
   * in batches (rules/clusters.ts). The trend is how many of last week's opinions would have
   * joined the cluster.
   */
  private async hotIssues(runner: QueryRunner, bounds: WeekBounds, prev: WeekBounds): Promise<DigestData['hotIssues']> {
    // Personal data is taken out of the sample before clustering: nothing a cluster shows (its
    // terms, its excerpt) can come from a name, a number or an address. The other opinions
    // only count; their terms outside the sample's vocabulary (most personal data) are ignored.
    const clean = (text: string) => redactPersonalData(text).replace(/\[[^\]]*\]/g, ' ');
    const week = await this.opinions(runner, 'digest_week', bounds);
    const sample = (await week.next(DEFAULT_SAMPLE_SIZE)).map((o) => ({ ...o, text: clean(o.text) }));
    const clustering = new WeekClustering(sample);
    for await (const batch of week.rest()) clustering.add(batch);
    const clusters = clustering.hotClusters().slice(0, 10);
    if (clusters.length === 0) return [];

    const previous = clusters.map(() => 0);
    const before = await this.opinions(runner, 'digest_previous', prev);
    for await (const batch of before.rest()) {
      const joins = clustering.nearest(
        batch.map((o) => o.text),
        clusters,
      );
      for (const i of joins) if (i >= 0) previous[i]++;
    }

    const texts = new Map(sample.map((o) => [o.id, o.text]));
    return clusters.map((cluster, i) => ({
      size: cluster.size,
      submitters: cluster.distinctSubmitters,
      units: cluster.units,
      terms: cluster.topTerms,
      excerpt: excerpt(texts.get(cluster.representativeId) ?? ''),
      caseIds: cluster.ids,
      previousWeek: previous[i],
    }));
  }

  /**
   * The opinions of a period (a case's first submission; its submitter is the keyed hash of
   * their email or phone, or the case itself when anonymous: never read past this cursor),
   * through a cursor of the runner's transaction, in the order of md5 of the case id: a
   * fixed order unrelated to time, topic or unit, so any first part of it is a fair sample.
   */
  private async opinions(runner: QueryRunner, cursor: string, period: WeekBounds) {
    await runner.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR
       SELECT c.id AS case_id, coalesce(s.subject, '') || ' ' || s.body AS text, u.code AS unit,
              coalesce(s.submitter_key, c.id::text) AS submitter
         FROM cases c
        CROSS JOIN LATERAL (SELECT subject, body, submitter_key FROM submissions
                             WHERE case_id = c.id ORDER BY received_at LIMIT 1) s
         LEFT JOIN units u ON u.id = c.unit_id
        WHERE c.created_at >= $1 AND c.created_at < $2 AND c.status <> 'spam' AND c.merged_into_id IS NULL
        ORDER BY md5(c.id::text)`,
      [period.start, period.end],
    );
    const next = async (count: number): Promise<OpinionForClustering[]> =>
      (
        (await runner.query(`FETCH ${count} FROM ${cursor}`)) as {
          case_id: string;
          text: string;
          unit: string | null;
          submitter: string;
        }[]
      ).map((r) => ({ id: r.case_id, text: r.text, submitterKey: r.submitter, unitCode: r.unit }));
    return {
      next,
      /** What is left, in batches; the cursor is closed after the last. */
      async *rest(): AsyncGenerator<OpinionForClustering[]> {
        for (let batch = await next(OPINION_BATCH); batch.length > 0; batch = await next(OPINION_BATCH)) yield batch;
        await runner.query(`CLOSE ${cursor}`);
      },
    };
  }
}
