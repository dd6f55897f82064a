// Tables for challenges, submissions, versions, verdicts, audit (issue 5); merged into Database in schema.ts.
import type { Generated } from 'kysely';

export type ChallengeState = 'scheduled' | 'open' | 'judging' | 'judged' | 'cancelled';

/** everyone: any server member; members: any paid tier; tiers: only the tiers named in `tiers`. */
export type ChallengeOpenTo = 'everyone' | 'members' | 'tiers';

export interface ChallengesTable {
  id: Generated<number>;
  title: string;
  statement: string;
  rules: string;
  starts_at: number;
  deadline_at: number;
  points: number;
  /** Extra points for the one entry accepted as best; 0 = none. */
  best_bonus: number;
  open_to: ChallengeOpenTo;
  /** JSON array of tier names when open_to = 'tiers'; null otherwise. */
  tiers: string | null;
  /** How many judges' current verdicts must agree before an entry's verdict is final. */
  judges_required: number;
  state: ChallengeState;
  created_by: string;
  created_at: number;
  updated_at: number;
  announced_at: number | null;
  closed_at: number | null;
  /** When judging last completed (a revision that unsettles an entry sends it back to judging). */
  judged_at: number | null;
  /** How many times results were announced: 1 = first results, more = corrections. */
  results_round: Generated<number>;
  cancelled_at: number | null;
  cancel_reason: string | null;
}

export type ChallengeAuditAction = 'created' | 'edited' | 'cancelled' | 'announced' | 'closed' | 'judged' | 'reopened' | 'verdict' | 'verdict_revised';

/** Who did what to a challenge and when; detail is JSON (changed fields, verdicts, reasons). */
export interface ChallengeAuditTable {
  id: Generated<number>;
  challenge_id: number;
  /** Null when the scheduled job acted. */
  actor_id: string | null;
  action: ChallengeAuditAction;
  at: number;
  detail: string | null;
}

/** entered: editable until the deadline; in_review: queued for the judges; then a final result. */
export type SubmissionState = 'entered' | 'in_review' | 'accepted' | 'best' | 'declined' | 'void';

export interface SubmissionsTable {
  id: Generated<number>;
  challenge_id: number;
  author_id: string;
  /** The current version's number (1 = first entry). */
  version: number;
  created_at: number;
  /** When the current version was submitted: the entry's time for points and tie-breaks. */
  updated_at: number;
  state: SubmissionState;
  /** JSON array of { reason, text } behind a final decline. */
  result_reasons: string | null;
  result_at: number | null;
  /** Bumped whenever the final outcome changes (keys the author's DM and re-credited points). */
  result_seq: Generated<number>;
  /** The result_seq the author was last told about by DM (0 = never). */
  notified_seq: Generated<number>;
  /** The result_seq the points ledger reflects (0 = nothing credited yet). */
  credited_seq: Generated<number>;
}

/** Every version is kept: the author can edit until the deadline, and judges see the last one. */
export interface SubmissionVersionsTable {
  id: Generated<number>;
  submission_id: number;
  version: number;
  solution: string | null;
  link: string | null;
  notes: string | null;
  at: number;
}

export type VerdictKind = 'accept' | 'best' | 'decline';
export type DeclineReason = 'wrong' | 'incomplete' | 'too_short' | 'plagiarism' | 'other';

/** One judge's verdict on one entry; a revision stamps replaced_at and adds a new row. */
export interface VerdictsTable {
  id: Generated<number>;
  submission_id: number;
  judge_id: string;
  verdict: VerdictKind;
  reason: DeclineReason | null;
  reason_text: string | null;
  at: number;
  replaced_at: number | null;
}

export interface ChallengeTables {
  challenges: ChallengesTable;
  challenge_audit: ChallengeAuditTable;
  submissions: SubmissionsTable;
  submission_versions: SubmissionVersionsTable;
  verdicts: VerdictsTable;
}
