// Exact activity figures for any instant interval [from, to): whole UTC hours from activity_hourly,
// the partial hours at either edge from raw events. Raw events are pruned after the retention, so an
// edge hour older than that is no longer exact (only whole hours are); the digest reads ~8 weeks.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { HOUR_MS, hourOf, INTERACTION_KINDS, MINUTE_MS, type RollupDelta } from './rows.ts';
import type { ActivityKind } from './sink.ts';

export interface MemberActivity {
  /** Events whose `at` is in the interval (a voice session counts where it began). */
  count: number;
  byKind: Partial<Record<ActivityKind, number>>;
  /** Earliest and latest such `at`. */
  first: number | null;
  last: number | null;
  /** Milliseconds of voice sessions inside the interval (sessions are recorded when they end). */
  voiceMs: number;
}

export interface ActivityFilter {
  kinds?: readonly ActivityKind[];
  userId?: string;
}

/** One member's totals of one kind over part of a window: an hourly row without its hour. */
type Part = Omit<RollupDelta, 'hour'>;

function merge(into: Map<string, MemberActivity>, p: Part): void {
  let m = into.get(p.user_id);
  if (!m) into.set(p.user_id, (m = { count: 0, byKind: {}, first: null, last: null, voiceMs: 0 }));
  m.count += p.count;
  if (p.count) m.byKind[p.kind] = (m.byKind[p.kind] ?? 0) + p.count;
  m.voiceMs += p.voice_ms;
  if (p.first_at !== null) m.first = m.first === null ? p.first_at : Math.min(m.first, p.first_at);
  if (p.last_at !== null) m.last = m.last === null ? p.last_at : Math.max(m.last, p.last_at);
}

/** Per member, everything captured in [from, to), exactly (see the file comment for pruned edges). */
export async function activityIn(db: Db, from: number, to: number, filter: ActivityFilter = {}): Promise<Map<string, MemberActivity>> {
  const out = new Map<string, MemberActivity>();
  if (!(from < to)) return out;
  const kinds = filter.kinds;
  if (kinds && kinds.length === 0) return out;
  const firstFull = hourOf(from) === from ? from : hourOf(from) + HOUR_MS;
  const endFull = hourOf(to);
  const edges: [number, number][] = [];
  if (firstFull < endFull) {
    let q = db
      .selectFrom('activity_hourly')
      .select((eb) => ['user_id', 'kind', eb.fn.sum<number>('count').as('count'), eb.fn.sum<number>('voice_ms').as('voice_ms'), eb.fn.min<number | null>('first_at').as('first_at'), eb.fn.max<number | null>('last_at').as('last_at')])
      .where('hour', '>=', firstFull)
      .where('hour', '<', endFull);
    if (kinds) q = q.where('kind', 'in', kinds);
    if (filter.userId) q = q.where('user_id', '=', filter.userId);
    for (const p of await q.groupBy(['user_id', 'kind']).execute()) merge(out, p);
    if (from < firstFull) edges.push([from, firstFull]);
    if (endFull < to) edges.push([endFull, to]);
  } else {
    edges.push([from, to]);
  }
  for (const [a, b] of edges) for (const p of await rawPart(db, a, b, filter)) merge(out, p);
  return out;
}

async function rawPart(db: Db, from: number, to: number, filter: ActivityFilter): Promise<Part[]> {
  let q = db
    .selectFrom('activity_events')
    .select((eb) => ['user_id', 'kind', eb.fn.countAll<number>().as('count'), sql<number>`0`.as('voice_ms'), eb.fn.min<number>('at').as('first_at'), eb.fn.max<number>('at').as('last_at')])
    .where('at', '>=', from)
    .where('at', '<', to);
  if (filter.kinds) q = q.where('kind', 'in', filter.kinds);
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  const parts: Part[] = await q.groupBy(['user_id', 'kind']).execute();
  if (filter.kinds && !filter.kinds.includes('voice')) return parts;
  // The part of every voice session (wherever it began) that lies in the edge.
  let v = db.selectFrom('activity_events').select(['user_id', 'at', 'ended_at']).where('kind', '=', 'voice').where('ended_at', '>', from).where('at', '<', to);
  if (filter.userId) v = v.where('user_id', '=', filter.userId);
  for (const s of await v.execute()) {
    const ms = Math.min(s.ended_at!, to) - Math.max(s.at, from);
    if (ms > 0) parts.push({ user_id: s.user_id, kind: 'voice', count: 0, voice_ms: ms, first_at: null, last_at: null });
  }
  return parts;
}

/** Interactions (every kind but join, leave, subscription_change) per member in [from, to). */
export async function interactionCounts(db: Db, from: number, to: number): Promise<Map<string, number>> {
  const all = await activityIn(db, from, to, { kinds: INTERACTION_KINDS });
  return new Map([...all].filter(([, a]) => a.count > 0).map(([id, a]) => [id, a.count]));
}

/** Whether a member has an interaction in [from, to). */
export async function hasInteraction(db: Db, userId: string, from: number, to: number): Promise<boolean> {
  return ((await activityIn(db, from, to, { kinds: INTERACTION_KINDS, userId })).get(userId)?.count ?? 0) > 0;
}

/** Per member, the latest interaction in [since, before). Pass `since` (a full scan otherwise). */
export async function lastInteractionBefore(db: Db, before: number, since: number, userId?: string): Promise<Map<string, number>> {
  const all = await activityIn(db, since, before, { kinds: INTERACTION_KINDS, userId });
  return new Map([...all].filter(([, a]) => a.last !== null).map(([id, a]) => [id, a.last!]));
}

/** Non-bot messages (threads and forum posts included) in [from, to). */
export async function messagesIn(db: Db, from: number, to: number): Promise<number> {
  let n = 0;
  for (const a of (await activityIn(db, from, to, { kinds: ['message'] })).values()) n += a.count;
  return n;
}

/** Distinct users with a message in [from, to), or at least one minute of voice inside it. */
export async function communicators(db: Db, from: number, to: number): Promise<Set<string>> {
  const all = await activityIn(db, from, to, { kinds: ['message', 'voice'] });
  return new Set([...all].filter(([, a]) => (a.byKind.message ?? 0) > 0 || a.voiceMs >= MINUTE_MS).map(([id]) => id));
}
