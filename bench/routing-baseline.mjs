// The bare baseline for bench/routing.bench.mjs: the routing RoutingService.routeBacklog does,
// with a pg Client and SQL only (no Nest, no TypeORM). Per batch, one transaction:
//   - the same SELECT ... FOR UPDATE OF c SKIP LOCKED of the oldest routable cases (with the
//     body of the first submission, which the keyword rules read);
//   - unit, role and deadlines in JS with gopy's own pure rules (chooseUnit, routing.yaml,
//     sla.yaml, holidays.yaml), loaded from the compiled dist so they cannot drift; the
//     units the batch needs in one query;
//   - the advisory locks of every (unit, role) pool the batch touches, in one statement and
//     in a fixed (sorted) order;
//   - per case one statement (a prepared, data-modifying CTE): judge the pool (active, not
//     on leave, not declined, covers the topic, under capacity, open cases counted on the
//     partial index), pick the fewest open cases, then who waited longest
//     (last_assigned_at, never first), then id; update the case with the decision as jsonb
//     (candidates and why), stamp the collaborator's last_assigned_at, and append the same
//     two case_events rows.
// It writes the same rows and columns as gopy; the decision has the same shape and much the
// same words, without the message codes (`because`) gopy adds for the desk.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

const LOCK_BATCH = `SELECT c.id, c.topic, c.priority, u.code AS unit_code, c.subject, c.created_at, c.declined_by,
         (SELECT s.body FROM submissions s WHERE s.case_id = c.id ORDER BY s.received_at LIMIT 1) AS body
    FROM cases c LEFT JOIN units u ON u.id = c.unit_id
   WHERE c.routed_at IS NULL AND c.status IN ('received','triaged')
   ORDER BY c.created_at, c.id
   LIMIT $1
   FOR UPDATE OF c SKIP LOCKED`;

// $1 case, $2 unit (or null), $3 topic, $4 today in Viet Nam, $5 declined_by, $6 role,
// $7 unit part of the decision, $8/$9 deadlines, $10 unit code.
const ROUTE_ONE = `WITH pool AS (
    SELECT p.id, p.full_name, p.capacity, p.last_assigned_at, p.active,
           $3::text = ANY (p.topics) AS covers,
           EXISTS (SELECT 1 FROM collaborator_leaves l WHERE l.collaborator_id = p.id
                    AND $4::date BETWEEN l.starts_on AND l.ends_on) AS on_leave,
           p.id = ANY ($5::uuid[]) AS declined,
           (SELECT count(*)::int FROM cases o WHERE o.assignee_id = p.id
              AND o.status IN ('assigned','in_progress')) AS open_cases
      FROM collaborators p WHERE p.unit_id = $2::uuid AND p.role = $6::text
  ), judged AS (
    SELECT *, active AND NOT on_leave AND NOT declined AND covers AND open_cases < capacity AS eligible FROM pool
  ), pick AS (
    SELECT id, full_name, open_cases,
           (SELECT count(*) FROM judged j WHERE j.eligible) AS eligible_count,
           (SELECT count(*) FROM judged j WHERE j.eligible AND j.open_cases = judged.open_cases) AS tied
      FROM judged WHERE eligible
     ORDER BY open_cases, last_assigned_at NULLS FIRST, id LIMIT 1
  ), stamped AS (
    UPDATE collaborators SET last_assigned_at = clock_timestamp() WHERE id = (SELECT id FROM pick)
  ), routed AS (
    UPDATE cases SET unit_id = $2::uuid, assignee_id = (SELECT id FROM pick),
           status = CASE WHEN EXISTS (SELECT 1 FROM pick) THEN 'assigned' ELSE 'triaged' END,
           routing = jsonb_build_object(
             'at', to_jsonb(now()),
             'unit', $7::jsonb,
             'role', jsonb_build_object('role', $6::text, 'reason', 'topic ' || $3::text || ' goes to ' || $6::text ||
                       CASE WHEN EXISTS (SELECT 1 FROM pick) OR $2::uuid IS NULL THEN ''
                            WHEN EXISTS (SELECT 1 FROM pool) THEN '; no eligible collaborator'
                            ELSE '; no collaborator in this unit and role' END),
             'assignee', (SELECT jsonb_build_object('id', id, 'name', full_name, 'reason',
                            CASE WHEN tied > 1 THEN 'fewest open cases (' || open_cases || '), tied with ' || (tied - 1) ||
                                                    ' other(s); waited longest since their last case'
                                 ELSE 'fewest open cases (' || open_cases || ') among ' || eligible_count || ' eligible' END)
                            FROM pick),
             'fallback', CASE WHEN EXISTS (SELECT 1 FROM pick) THEN NULL
                              WHEN $2::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM staff_users s WHERE s.unit_id = $2::uuid
                                     AND s.active AND 'unit_lead' = ANY (s.roles)) THEN 'unit_lead'
                              ELSE 'coordinators' END,
             'candidates', coalesce((SELECT jsonb_agg(jsonb_build_object('id', id, 'name', full_name, 'eligible', eligible, 'why',
                              CASE WHEN NOT active THEN 'inactive' WHEN on_leave THEN 'on leave'
                                   WHEN declined THEN 'declined this case' WHEN NOT covers THEN 'does not cover ' || $3::text
                                   WHEN open_cases >= capacity THEN 'at capacity (' || open_cases || '/' || capacity || ')'
                                   ELSE open_cases || '/' || capacity || ' open' END)) FROM judged), '[]'::jsonb)),
           routed_at = now(),
           first_response_due_at = coalesce(first_response_due_at, $8::timestamptz),
           resolution_due_at = coalesce(resolution_due_at, $9::timestamptz),
           reminded_at = NULL, escalated_at = NULL, updated_at = now(), last_activity_at = now()
     WHERE id = $1::uuid
     RETURNING assignee_id, routing->>'fallback' AS fallback
  ), events AS (
    INSERT INTO case_events (case_id, type, visibility, actor, data)
    SELECT $1::uuid, 'routed', 'internal', 'routing',
           jsonb_build_object('assigneeId', r.assignee_id,
                              'assignmentId', CASE WHEN r.assignee_id IS NULL THEN NULL ELSE gen_random_uuid() END,
                              'unit', $10::text, 'fallback', r.fallback)
      FROM routed r
    UNION ALL
    SELECT $1::uuid, CASE WHEN r.assignee_id IS NULL THEN 'triaged' ELSE 'assigned' END, 'public', 'routing', '{}'::jsonb
      FROM routed r
  )
  SELECT assignee_id FROM routed`;

/** A router over one connection; `routeBacklog(limit)` returns how many cases it routed. */
export async function createBaselineRouter({ databaseUrl, dist, configDir }) {
  const fromDist = (path) => require(join(dist, path));
  const { loadTopics, loadRoutingPolicy, loadSlaPolicy, loadHolidays } = fromDist('config/src/index.js');
  const { chooseUnit } = fromDist('libs/routing/src/rules/choose-assignee.js');
  const { caseDeadlines, slaTermsFor, vietnamDay } = fromDist('libs/sla/src/index.js');
  const codes = loadTopics(configDir).map((t) => t.code);
  const policy = loadRoutingPolicy(configDir, codes);
  const sla = loadSlaPolicy(configDir, codes);
  const calendar = loadHolidays(configDir);

  const db = new Client({ connectionString: databaseUrl, application_name: 'gopy-baseline' });
  await db.connect();

  async function routeBacklog(limit) {
    await db.query('BEGIN');
    try {
      const { rows: batch } = await db.query({ name: 'lock-batch', text: LOCK_BATCH, values: [limit] });
      if (batch.length === 0) {
        await db.query('COMMIT');
        return 0;
      }
      const planned = batch.map((found) => ({
        found,
        unitChoice: chooseUnit(
          { unitCode: found.unit_code, topic: found.topic, text: `${found.subject} ${found.body ?? ''}` },
          policy.unitRules,
        ),
        role: policy.roleByTopic[found.topic],
        deadlines: caseDeadlines(found.created_at, slaTermsFor(sla, found.topic, found.priority), calendar),
      }));
      const wanted = [...new Set(planned.map((p) => p.unitChoice.unitCode).filter(Boolean))];
      const { rows: unitRows } = await db.query({
        name: 'units',
        text: `SELECT id, code, name FROM units WHERE active AND code = ANY ($1::text[])`,
        values: [wanted],
      });
      const units = new Map(unitRows.map((u) => [u.code, u]));
      const pools = [
        ...new Set(
          planned
            .map((p) => units.get(p.unitChoice.unitCode))
            .map((unit, i) => (unit ? `gopy:route:${unit.id}:${planned[i].role}` : null))
            .filter(Boolean),
        ),
      ].sort();
      await db.query({
        name: 'lock-pools',
        text: `SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM unnest($1::text[]) AS k`,
        values: [pools],
      });
      const today = vietnamDay(new Date());
      for (const { found, unitChoice, role, deadlines } of planned) {
        const unit = unitChoice.unitCode ? units.get(unitChoice.unitCode) : undefined;
        const unitPart = unit
          ? { code: unit.code, name: unit.name, reason: unitChoice.reason }
          : {
              code: null,
              name: null,
              reason: unitChoice.unitCode ? `unit ${unitChoice.unitCode} is unknown or inactive` : unitChoice.reason,
            };
        await db.query({
          name: 'route-one',
          text: ROUTE_ONE,
          values: [
            found.id,
            unit?.id ?? null,
            found.topic,
            today,
            found.declined_by,
            role,
            JSON.stringify(unitPart),
            deadlines.firstResponseDueAt,
            deadlines.resolutionDueAt,
            unitPart.code,
          ],
        });
      }
      await db.query('COMMIT');
      return batch.length;
    } catch (error) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  return { routeBacklog, close: () => db.end() };
}
