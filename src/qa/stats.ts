import type { Kysely } from 'kysely';
import type { Database, QuestionsTable } from '../db/schema.ts';

export const DAY_MS = 86_400_000;
export const NO_TIER = 'no tier';

export type StatsRow = Pick<QuestionsTable, 'asker_id' | 'topics' | 'state' | 'created_at' | 'first_answer_at' | 'first_expert_answer_at' | 'solved_at'>;

export interface QaFigures {
  asked: number;
  /** Questions with a first answer before `asOf`. */
  answered: number;
  /** 0-100, null when nothing was asked. */
  answeredPct: number | null;
  solved: number;
  solvedPct: number | null;
  /** Median of (first answer - asked) over the answered ones; null when none. */
  medianFirstAnswerMs: number | null;
  medianFirstExpertAnswerMs: number | null;
  /** Not solved and not closed as stale (state open or answered). */
  open: number;
  /** Asked minus answered. */
  unanswered: number;
}

export interface QaStats extends QaFigures {
  /** The window is [from, to): `to` = asOf, `from` = asOf - days. */
  from: number;
  to: number;
  days: number;
  /** A question with two topics counts in both. */
  byTopic: Record<string, QaFigures>;
  /** By the asker's tier now (from the caller's lookup); NO_TIER for none. */
  byTier: Record<string, QaFigures>;
  /** All questions asked before asOf and still open / still without an answer, whatever their age. */
  backlogOpen: number;
  backlogUnanswered: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const pct = (n: number, of: number) => (of === 0 ? null : (100 * n) / of);
const isOpen = (r: StatsRow) => r.state === 'open' || r.state === 'answered';

/** Pure figures for a set of questions already inside the window, judged as of `asOf`. */
export function figures(rows: readonly StatsRow[], asOf: number): QaFigures {
  const before = (t: number | null): t is number => t !== null && t < asOf;
  const answered = rows.filter((r) => before(r.first_answer_at));
  const solved = rows.filter((r) => r.state === 'solved' && before(r.solved_at)).length;
  return {
    asked: rows.length,
    answered: answered.length,
    answeredPct: pct(answered.length, rows.length),
    solved,
    solvedPct: pct(solved, rows.length),
    medianFirstAnswerMs: median(answered.map((r) => r.first_answer_at! - r.created_at)),
    medianFirstExpertAnswerMs: median(rows.filter((r) => before(r.first_expert_answer_at)).map((r) => r.first_expert_answer_at! - r.created_at)),
    open: rows.filter(isOpen).length,
    unanswered: rows.length - answered.length,
  };
}

function groupBy(rows: readonly StatsRow[], keys: (r: StatsRow) => readonly string[], asOf: number): Record<string, QaFigures> {
  const groups = new Map<string, StatsRow[]>();
  for (const r of rows) for (const k of new Set(keys(r))) groups.set(k, [...(groups.get(k) ?? []), r]);
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, figures(groups.get(k)!, asOf)]));
}

/** Pure: rows may include older questions (for the backlog); the window filter happens here. */
export function computeQaStats(rows: readonly StatsRow[], opts: { asOf: number; days: number; tierOf: (askerId: string) => string | null }): QaStats {
  const from = opts.asOf - opts.days * DAY_MS;
  const past = rows.filter((r) => r.created_at < opts.asOf);
  const window = past.filter((r) => r.created_at >= from);
  return {
    ...figures(window, opts.asOf),
    from,
    to: opts.asOf,
    days: opts.days,
    byTopic: groupBy(window, (r) => JSON.parse(r.topics) as string[], opts.asOf),
    byTier: groupBy(window, (r) => [opts.tierOf(r.asker_id) ?? NO_TIER], opts.asOf),
    backlogOpen: past.filter(isOpen).length,
    backlogUnanswered: past.filter((r) => isOpen(r) && !(r.first_answer_at !== null && r.first_answer_at < opts.asOf)).length,
  };
}

export interface StatsOptions {
  asOf: number;
  days: number;
  /** Current tier names of these askers (e.g. via member-sync's decide over loadSources); missing = no tier. */
  tiersOf(askerIds: readonly string[]): Promise<ReadonlyMap<string, string | null>>;
}

/** `/qa stats` and the weekly digest: loads the window plus the open backlog, then computes. */
export async function qaStats(db: Kysely<Database>, opts: StatsOptions): Promise<QaStats> {
  const from = opts.asOf - opts.days * DAY_MS;
  const rows = await db
    .selectFrom('questions')
    .select(['asker_id', 'topics', 'state', 'created_at', 'first_answer_at', 'first_expert_answer_at', 'solved_at'])
    .where('created_at', '<', opts.asOf)
    .where((eb) => eb.or([eb('created_at', '>=', from), eb('state', 'in', ['open', 'answered'])]))
    .execute();
  const tiers = await opts.tiersOf([...new Set(rows.filter((r) => r.created_at >= from).map((r) => r.asker_id))]);
  return computeQaStats(rows, { asOf: opts.asOf, days: opts.days, tierOf: (id) => tiers.get(id) ?? null });
}
