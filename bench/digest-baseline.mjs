// The bare baseline for bench/digest.bench.mjs: the weekly digest's figures without gopy.
// One pg connection, no Nest, no TypeORM: the same read-only transaction with JIT off and the
// same eleven aggregate statements as DigestService.compute (libs/digest/src/digest.service.ts,
// copied here word for word, keep them in step), sent in the same order with the same
// parameters, and the rows put together into the same DigestData, so the bench can check that
// both sides computed the same digest. Then the two reads of the hot issues (this week's and
// last week's opinion texts, the same cursors fetched in the same batches), whose rows it
// drops: the clustering gopy does in Node has no SQL counterpart. What is left is what the
// figures cost PostgreSQL plus the floor of getting them and the texts into Node.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

const TZ = 'Asia/Ho_Chi_Minh';
const OPEN = `('received','triaged','assigned','in_progress')`;

/** The statements in the order compute() sends them; the bench names them the same way for gopy. */
export const STATEMENTS = [
  'received by channel',
  'received by topic',
  'received by unit',
  'trend (8 weeks)',
  'backlog ageing',
  'deadlines due',
  'first response hours',
  'resolution hours',
  'units table',
  'spikes',
  'overdue list',
  "hot issues: this week's texts",
  "hot issues: last week's texts",
  'transaction, SET and cursors',
];
const AGGREGATES = 11;

/**
 * The name the bench gives a statement, the same for both sides: each cursor's FETCHes are
 * summed under its read, the transaction, SET, DECLARE and CLOSE statements under one name,
 * and the others are the aggregates in the order sent (`aggregates` were sent before).
 */
function statementName(sql, aggregates) {
  const text = sql.trimStart();
  if (/^FETCH\b[^]*\bdigest_week\b/i.test(text)) return STATEMENTS[11];
  if (/^FETCH\b[^]*\bdigest_previous\b/i.test(text)) return STATEMENTS[12];
  if (/^(START|BEGIN|SET|COMMIT|ROLLBACK|DECLARE|CLOSE)\b/i.test(text)) return STATEMENTS[13];
  return aggregates < AGGREGATES ? STATEMENTS[aggregates] : `statement ${aggregates + 1}`;
}

/** Adds `ms` to statement `name` in `list`: indexed as STATEMENTS, any other name after them. */
export function addStatement(list, name, ms, plan) {
  let i = STATEMENTS.indexOf(name);
  if (i === -1) i = list.findIndex((s, j) => j >= STATEMENTS.length && s?.name === name);
  if (i === -1) i = Math.max(list.length, STATEMENTS.length);
  list[i] = { name, ms: (list[i]?.ms ?? 0) + ms, plan: list[i]?.plan ?? plan };
}

/** Times of one computation's statements by name: `add(sql, ms)` returns the name it counted under. */
export function statementTimes() {
  const list = [];
  let aggregates = 0;
  return {
    list,
    add(sql, ms, plan) {
      const name = statementName(sql, aggregates);
      if (!STATEMENTS.slice(AGGREGATES).includes(name)) aggregates++;
      addStatement(list, name, ms, plan);
      return name;
    },
  };
}

/**
 * The baseline digest: `compute(week)` returns { data, statements: [{ name, ms }] }.
 * `dist` is gopy's build, for the ISO week rules (pure functions, the same as gopy uses);
 * `onStatement({ name, ms })` is told of each statement as it completes.
 * With `explain`, each statement is first run under EXPLAIN (ANALYZE, BUFFERS) and its plan
 * kept as `plan` (then run again for its rows): for finding what is slow, not for timing.
 */
export async function createBaselineDigest({ databaseUrl, dist, explain = false, onStatement }) {
  const { weekBounds, previousWeek } = require(join(dist, 'libs/digest/src/rules/iso-week.js'));
  const db = new Client({ connectionString: databaseUrl, application_name: 'gopy-bench-baseline' });
  await db.connect();

  async function compute(week) {
    const times = statementTimes();
    const q = async (sql, params) => {
      // A cursor's query is explained alone; FETCH, SET and the like have no plan.
      const explained = /^\s*(SELECT|WITH)\b/i.test(sql) ? sql : /^\s*DECLARE\s+\w+[^]*?\bFOR\b([^]*)$/i.exec(sql)?.[1];
      const plan =
        explain && explained
          ? (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${explained}`, params)).rows
              .map((r) => r['QUERY PLAN'])
              .join('\n')
          : undefined;
      const t0 = performance.now();
      const { rows } = await db.query(sql, params);
      const ms = performance.now() - t0;
      onStatement?.({ name: times.add(sql, ms, plan), ms });
      return rows;
    };
    await q(`START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
    await q(`SET LOCAL jit = off`);
    const bounds = weekBounds(week);
    const prev = weekBounds(previousWeek(bounds.week));
    const window = [bounds.start, bounds.end, prev.start];

    const grouped = async (expr) =>
      (
        await q(
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
    const trend = await q(
      `SELECT to_char(date_trunc('week', c.created_at AT TIME ZONE '${TZ}'), 'IYYY-"W"IW') AS week,
              count(*)::int AS received
         FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2 AND c.merged_into_id IS NULL
        GROUP BY 1 ORDER BY 1`,
      [trendStart, bounds.end],
    );

    const openAtEnd = `c.created_at < $1 AND c.status NOT IN ('spam','rejected')
      AND (c.closed_at IS NULL OR c.closed_at >= $1) AND c.merged_into_id IS NULL`;
    const ageing = await q(
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

    const [deadlines] = await q(
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
    const hours = async (column) => {
      const [row] = await q(
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

    const units = await q(
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

    const spikes = await q(
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

    const overdue = await q(
      `SELECT c.id AS case_id, c.tracking_code, c.topic, u.code AS unit,
              floor(extract(epoch FROM $1::timestamptz - CASE WHEN c.first_responded_at IS NULL
                    THEN c.first_response_due_at ELSE c.resolution_due_at END) / 86400)::int AS days_overdue
         FROM cases c LEFT JOIN units u ON u.id = c.unit_id
        WHERE c.status IN ${OPEN} AND c.created_at < $1 AND
              ((c.first_responded_at IS NULL AND c.first_response_due_at < $1) OR c.resolution_due_at < $1)
        ORDER BY days_overdue DESC, c.tracking_code LIMIT 50`,
      [bounds.end],
    );

    // Hot issues: the opinions of this week and of last week through the same cursors, in the
    // same batches (a sample of 2,000, then 1,000 at a time); gopy reads last week's only when
    // this week has a hot issue (the bench's weeks always have some).
    const texts = async (cursor, from, to) => {
      await q(
        `DECLARE ${cursor} NO SCROLL CURSOR FOR
       SELECT c.id AS case_id, coalesce(s.subject, '') || ' ' || s.body AS text, u.code AS unit
         FROM cases c
        CROSS JOIN LATERAL (SELECT subject, body FROM submissions
                             WHERE case_id = c.id ORDER BY received_at LIMIT 1) s
         LEFT JOIN units u ON u.id = c.unit_id
        WHERE c.created_at >= $1 AND c.created_at < $2 AND c.status <> 'spam' AND c.merged_into_id IS NULL
        ORDER BY md5(c.id::text)`,
        [from, to],
      );
      let count = (await q(`FETCH 2000 FROM ${cursor}`)).length;
      for (
        let batch = await q(`FETCH 1000 FROM ${cursor}`);
        batch.length > 0;
        batch = await q(`FETCH 1000 FROM ${cursor}`)
      )
        count += batch.length;
      await q(`CLOSE ${cursor}`);
      return count;
    };
    const opinions = {
      week: await texts('digest_week', bounds.start, bounds.end),
      previous: await texts('digest_previous', prev.start, prev.end),
    };
    await q(`COMMIT`);

    const data = {
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
    };
    return { data, statements: times.list, opinions };
  }

  return { compute, close: () => db.end() };
}
