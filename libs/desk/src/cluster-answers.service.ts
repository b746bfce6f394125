import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type StaffPrincipal, canAct, canSeeCase } from '@gopy/auth';
import { GopyError } from '@gopy/errors';
import { ANSWERABLE, DeskService, type ResponseKind, UUID, answerKindFor, answerText } from './desk.service';

/** A hot issue as the digest froze it: one version of one week's digest, one cluster. */
export interface HotIssue {
  digestId: string;
  week: string;
  index: number;
  size: number;
  submitters: number;
  units: string[];
  terms: string[];
  excerpt: string;
  previousWeek: number;
  caseIds: string[];
}

export type AnswerStatus = 'draft' | 'sending' | 'sent' | 'discarded';
/** Before sending: whether this person's answer will reach the case, or why not. */
export type RecipientPlan = 'send' | 'not_yours' | 'not_answerable';

export interface AnswerRecipient {
  caseId: string;
  /** Null for a case the reader may not see: it is counted, never shown. */
  trackingCode: string | null;
  channel: string;
  unitCode: string | null;
  status: string;
  kind: ResponseKind;
  plan: RecipientPlan;
  /** After sending. */
  outcome: 'sent' | 'skipped' | null;
  reason: RecipientPlan | null;
  /** The answer's mails, one per submitter with an address (queued until the worker sends them). */
  mails: string[];
  callback: string | null;
  postedAt: Date | null;
}

export interface ClusterAnswer {
  id: string;
  issue: HotIssue;
  body: string;
  status: AnswerStatus;
  authorId: string;
  authorName: string;
  createdAt: Date;
  sentAt: Date | null;
  recipients: AnswerRecipient[];
}

export interface AnswerSummary {
  id: string;
  status: AnswerStatus;
  authorName: string;
  createdAt: Date;
  sentAt: Date | null;
  sent: number;
  skipped: number;
}

const CLUSTER_ANSWER_ROLES = ['unit_lead', 'operator', 'collaborator'] as const;

/**
 * One answer for a hot issue: drafted, reviewed on a page that shows which cases it will
 * reach and how (mail and the tracking page, a callback task, a letter to post), then sent to
 * each case through its own channel. Each case's answer and its row here are written in one
 * transaction, so a send that stops half-way resumes where it stopped and never answers a case
 * twice. Only the author revises, discards or sends a draft; the cases it reaches are those
 * the sender may answer.
 */
@Injectable()
export class ClusterAnswers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly desk: DeskService,
  ) {}

  /** The hot issue `index` of a digest version, or not found. */
  async issue(digestId: string, index: number): Promise<HotIssue> {
    const [row] = await this.dataSource.query<
      { id: string; iso_week: string; cluster: Omit<HotIssue, 'digestId' | 'week' | 'index'> | null }[]
    >(`SELECT id, iso_week, data -> 'hotIssues' -> $2::int AS cluster FROM digests WHERE id = $1`, [digestId, index]);
    if (!row?.cluster) throw new GopyError('not_found');
    const c = row.cluster;
    return {
      digestId: row.id,
      week: row.iso_week,
      index,
      size: c.size,
      submitters: c.submitters,
      units: c.units,
      terms: c.terms,
      excerpt: c.excerpt,
      previousWeek: c.previousWeek,
      caseIds: c.caseIds,
    };
  }

  /** The cluster's cases as this person sees them, with what an answer from them would do. */
  async recipients(principal: StaffPrincipal, issue: HotIssue, answerId?: string): Promise<AnswerRecipient[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        tracking_code: string;
        channel: string;
        status: string;
        unit_id: string | null;
        assignee_id: string | null;
        unit_code: string | null;
        outcome: 'sent' | 'skipped' | null;
        reason: RecipientPlan | null;
        mails: (string | null)[];
        callback: string | null;
        posted_at: Date | null;
      }[]
    >(
      `SELECT c.id, c.tracking_code, c.channel, c.status, c.unit_id, c.assignee_id, u.code AS unit_code,
              ac.outcome, ac.reason,
              coalesce((SELECT array_agg(coalesce(m.status, 'queued') ORDER BY d.created_at)
                          FROM response_deliveries d LEFT JOIN outbound_mails m ON m.id = d.mail_id
                         WHERE d.response_id = ac.response_id AND d.mail_id IS NOT NULL), '{}') AS mails,
              (SELECT t.outcome FROM callback_attempts t WHERE t.response_id = ac.response_id
                ORDER BY t.at DESC LIMIT 1) AS callback,
              (SELECT l.posted_at FROM letter_postings l WHERE l.response_id = ac.response_id) AS posted_at
         FROM cases c LEFT JOIN units u ON u.id = c.unit_id
         LEFT JOIN cluster_answer_cases ac ON ac.case_id = c.id AND ac.answer_id = $2
        WHERE c.id = ANY ($1)
        ORDER BY c.created_at, c.id`,
      [issue.caseIds, answerId ?? null],
    );
    return rows.map((r) => {
      const scoped = { unitId: r.unit_id, assigneeId: r.assignee_id };
      const visible = canSeeCase(principal, scoped);
      const plan: RecipientPlan = !canAct(principal, 'respond', scoped)
        ? 'not_yours'
        : ANSWERABLE.includes(r.status)
          ? 'send'
          : 'not_answerable';
      return {
        caseId: r.id,
        trackingCode: visible ? r.tracking_code : null,
        channel: r.channel,
        unitCode: r.unit_code,
        status: r.status,
        kind: answerKindFor(r.channel),
        plan,
        outcome: r.outcome,
        reason: r.reason,
        mails: r.mails.filter((m): m is string => m !== null),
        callback: r.callback,
        postedAt: r.posted_at,
      };
    });
  }

  /** The answers to one hot issue: everyone's sent ones, and this person's drafts. */
  async list(principal: StaffPrincipal, issue: HotIssue): Promise<AnswerSummary[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        status: AnswerStatus;
        author_name: string;
        created_at: Date;
        sent_at: Date | null;
        sent: number;
        skipped: number;
      }[]
    >(
      `SELECT a.id, a.status, s.full_name AS author_name, a.created_at, a.sent_at,
              count(ac.case_id) FILTER (WHERE ac.outcome = 'sent')::int AS sent,
              count(ac.case_id) FILTER (WHERE ac.outcome = 'skipped')::int AS skipped
         FROM cluster_answers a JOIN staff_users s ON s.id = a.author_id
         LEFT JOIN cluster_answer_cases ac ON ac.answer_id = a.id
        WHERE a.digest_id = $1 AND a.cluster_index = $2
          AND (a.status IN ('sending', 'sent') OR (a.status = 'draft' AND a.author_id = $3))
        GROUP BY a.id, s.full_name ORDER BY a.created_at DESC`,
      [issue.digestId, issue.index, principal.id],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      authorName: r.author_name,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      sent: r.sent,
      skipped: r.skipped,
    }));
  }

  async draft(principal: StaffPrincipal, issue: HotIssue, bodyInput: unknown): Promise<string> {
    this.mayAnswer(principal);
    const body = answerText(bodyInput);
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO cluster_answers (digest_id, cluster_index, body, author_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [issue.digestId, issue.index, body, principal.id],
    );
    return row.id;
  }

  /** An answer with its cases (none when only checking it exists); a draft only for its author. */
  async get(principal: StaffPrincipal, answerId: string, withRecipients = true): Promise<ClusterAnswer> {
    const [row] = UUID.test(answerId)
      ? await this.dataSource.query<
          {
            id: string;
            digest_id: string;
            cluster_index: number;
            body: string;
            status: AnswerStatus;
            author_id: string;
            author_name: string;
            created_at: Date;
            sent_at: Date | null;
          }[]
        >(
          `SELECT a.id, a.digest_id, a.cluster_index, a.body, a.status, a.author_id, s.full_name AS author_name,
                  a.created_at, a.sent_at
             FROM cluster_answers a JOIN staff_users s ON s.id = a.author_id WHERE a.id = $1`,
          [answerId],
        )
      : [];
    if (!row || (row.status !== 'sent' && row.status !== 'sending' && row.author_id !== principal.id))
      throw new GopyError('not_found');
    const issue = await this.issue(row.digest_id, row.cluster_index);
    return {
      id: row.id,
      issue,
      body: row.body,
      status: row.status,
      authorId: row.author_id,
      authorName: row.author_name,
      createdAt: row.created_at,
      sentAt: row.sent_at,
      recipients: withRecipients ? await this.recipients(principal, issue, row.id) : [],
    };
  }

  async revise(principal: StaffPrincipal, answerId: string, bodyInput: unknown): Promise<void> {
    const body = answerText(bodyInput);
    await this.ownDraft(principal, answerId, `body = $3`, [body]);
  }

  async discard(principal: StaffPrincipal, answerId: string): Promise<void> {
    await this.ownDraft(principal, answerId, `status = 'discarded'`);
  }

  /**
   * Sends a reviewed draft to every case of its cluster this person may answer, each through
   * its channel; the others are recorded as skipped with the reason. Sending again resumes an
   * interrupted send and touches no case twice.
   */
  async send(principal: StaffPrincipal, answerId: string, origin?: string): Promise<{ sent: number; skipped: number }> {
    this.mayAnswer(principal);
    if (!UUID.test(answerId)) throw new GopyError('not_found');
    const [claimed] = await this.dataSource.query<
      [{ digest_id: string; cluster_index: number; body: string }[], number]
    >(
      `UPDATE cluster_answers SET status = 'sending', sent_at = coalesce(sent_at, now()), updated_at = now()
        WHERE id = $1 AND author_id = $2 AND status IN ('draft', 'sending')
        RETURNING digest_id, cluster_index, body`,
      [answerId, principal.id],
    );
    const answer = claimed[0];
    if (!answer) {
      await this.get(principal, answerId, false);
      throw new GopyError('action_refused');
    }
    const issue = await this.issue(answer.digest_id, answer.cluster_index);
    for (const caseId of issue.caseIds) {
      try {
        await this.dataSource.transaction(async (manager) => {
          const [mine] = await manager.query<{ channel: string }[]>(
            `INSERT INTO cluster_answer_cases (answer_id, case_id, outcome) VALUES ($1, $2, 'sent')
             ON CONFLICT DO NOTHING
             RETURNING (SELECT channel FROM cases WHERE id = $2) AS channel`,
            [answerId, caseId],
          );
          if (!mine) return; // answered by an earlier, interrupted send
          const responseId = await this.desk.respondIn(
            manager,
            principal,
            caseId,
            answer.body,
            answerKindFor(mine.channel),
            origin,
          );
          await manager.query(
            `UPDATE cluster_answer_cases SET response_id = $3 WHERE answer_id = $1 AND case_id = $2`,
            [answerId, caseId, responseId],
          );
        });
      } catch (error) {
        if (!(error instanceof GopyError)) throw error;
        const reason: RecipientPlan = error.code === 'action_refused' ? 'not_answerable' : 'not_yours';
        await this.dataSource.query(
          `INSERT INTO cluster_answer_cases (answer_id, case_id, outcome, reason) VALUES ($1, $2, 'skipped', $3)
           ON CONFLICT DO NOTHING`,
          [answerId, caseId, reason],
        );
      }
    }
    const [[counts]] = await this.dataSource.query<[{ sent: number; skipped: number }[], number]>(
      `UPDATE cluster_answers SET status = 'sent', updated_at = now() WHERE id = $1
       RETURNING (SELECT count(*) FILTER (WHERE outcome = 'sent') FROM cluster_answer_cases WHERE answer_id = $1)::int AS sent,
                 (SELECT count(*) FILTER (WHERE outcome = 'skipped') FROM cluster_answer_cases WHERE answer_id = $1)::int AS skipped`,
      [answerId],
    );
    return counts;
  }

  /** Whether this person may draft and send answers to hot issues at all. */
  mayAnswer(principal: StaffPrincipal): void {
    if (!principal.roles.some((role) => (CLUSTER_ANSWER_ROLES as readonly string[]).includes(role)))
      throw new GopyError('forbidden');
  }

  private async ownDraft(principal: StaffPrincipal, answerId: string, set: string, params: unknown[] = []) {
    const [rows] = UUID.test(answerId)
      ? await this.dataSource.query<[unknown[], number]>(
          `UPDATE cluster_answers SET ${set}, updated_at = now()
            WHERE id = $1 AND author_id = $2 AND status = 'draft' RETURNING id`,
          [answerId, principal.id, ...params],
        )
      : [[]];
    if (rows.length > 0) return;
    await this.get(principal, answerId, false);
    throw new GopyError('action_refused');
  }
}
