import { foldDiacritics } from '@gopy/text';

// The routing decision as plain data: which unit, which role, which person, and why.
// Every step writes its reason, so the desk can show why a case went where it went.

export type Role = 'tuyen_truyen_vien' | 'du_luan_xa_hoi' | 'bao_cao_vien';

export interface UnitRule {
  unitCode: string;
  topics?: string[];
  // Any of these words (diacritics ignored) in the subject or text.
  keywords?: string[];
}

export interface Candidate {
  id: string;
  name: string;
  topics: string[];
  capacity: number;
  active: boolean;
  onLeave: boolean;
  openCases: number;
  // When this person last received a case; ties go to who waited longest.
  lastAssignedAt: Date | null;
  // This person already declined this case.
  declined?: boolean;
}

/** A reason as a message code with its parameters (the desk translates it) and in plain English. */
export interface Reason {
  code: string;
  params?: Record<string, string | number>;
}

export type UnitChoice =
  { unitCode: string; reason: string; because: Reason } | { unitCode: null; reason: string; because: Reason };

/** Unit: the submitter's choice, else the first rule on topic or keywords, else none (coordinators). */
export function chooseUnit(
  input: { unitCode?: string | null; topic: string; text: string },
  rules: UnitRule[],
): UnitChoice {
  if (input.unitCode)
    return { unitCode: input.unitCode, reason: 'unit chosen by the submitter', because: { code: 'unit_chosen' } };
  // Whole words only: "o ga" (ổ gà) must not match inside "cho ga" (chợ gà).
  const words = (value: string) =>
    ` ${foldDiacritics(value)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()} `;
  const text = words(input.text);
  for (const rule of rules) {
    if (rule.topics?.includes(input.topic))
      return {
        unitCode: rule.unitCode,
        reason: `rule: topic ${input.topic}`,
        because: { code: 'rule_topic', params: { topic: input.topic } },
      };
    const word = rule.keywords?.find((k) => text.includes(words(k)));
    if (word)
      return {
        unitCode: rule.unitCode,
        reason: `rule: keyword "${word}"`,
        because: { code: 'rule_keyword', params: { word } },
      };
  }
  return { unitCode: null, reason: 'no unit chosen and no rule matched', because: { code: 'no_rule' } };
}

export interface CandidateVerdict {
  id: string;
  eligible: boolean;
  why: string;
  because: Reason;
}

export type AssigneeChoice =
  | { kind: 'person'; collaboratorId: string; reason: string; because: Reason; verdicts: CandidateVerdict[] }
  | { kind: 'nobody'; reason: string; because: Reason; verdicts: CandidateVerdict[] };

function verdict(candidate: Candidate, topic: string): CandidateVerdict {
  const load = { open: candidate.openCases, capacity: candidate.capacity };
  const no = (why: string, code: string, params?: Reason['params']) => ({
    id: candidate.id,
    eligible: false,
    why,
    because: { code, params },
  });
  if (!candidate.active) return no('inactive', 'inactive');
  if (candidate.onLeave) return no('on leave', 'on_leave');
  if (candidate.declined) return no('declined this case', 'declined');
  if (!candidate.topics.includes(topic)) return no(`does not cover ${topic}`, 'no_topic', { topic });
  if (candidate.openCases >= candidate.capacity)
    return no(`at capacity (${candidate.openCases}/${candidate.capacity})`, 'at_capacity', load);
  return {
    id: candidate.id,
    eligible: true,
    why: `${candidate.openCases}/${candidate.capacity} open`,
    because: { code: 'load', params: load },
  };
}

/**
 * Person: among active collaborators of the unit and role who cover the topic, are not on
 * leave and are under capacity, the one with the fewest open cases; ties go to whoever
 * waited longest since their last case (round robin), then by id so the choice is stable.
 */
export function chooseAssignee(topic: string, pool: Candidate[]): AssigneeChoice {
  const verdicts = pool.map((c) => verdict(c, topic));
  const eligible = pool.filter((_, i) => verdicts[i].eligible);
  if (eligible.length === 0) {
    return pool.length === 0
      ? { kind: 'nobody', reason: 'no collaborator in this unit and role', because: { code: 'empty_pool' }, verdicts }
      : { kind: 'nobody', reason: 'no eligible collaborator', because: { code: 'none_eligible' }, verdicts };
  }
  const waited = (c: Candidate) => c.lastAssignedAt?.getTime() ?? -Infinity;
  const [best] = [...eligible].sort(
    (a, b) => a.openCases - b.openCases || waited(a) - waited(b) || a.id.localeCompare(b.id),
  );
  const tied = eligible.filter((c) => c.openCases === best.openCases).length;
  const [reason, because]: [string, Reason] =
    tied > 1
      ? [
          `fewest open cases (${best.openCases}), tied with ${tied - 1} other(s); waited longest since their last case`,
          { code: 'fewest_tied', params: { open: best.openCases, others: tied - 1 } },
        ]
      : [
          `fewest open cases (${best.openCases}) among ${eligible.length} eligible`,
          { code: 'fewest', params: { open: best.openCases, eligible: eligible.length } },
        ];
  return { kind: 'person', collaboratorId: best.id, reason, because, verdicts };
}
