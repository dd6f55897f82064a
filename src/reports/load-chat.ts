// Exact message and communicator counts for a window [from, to), each in one statement over
// activity_hourly, with raw events only for the partial hours at its edges:
// - an hour row whose events all lie inside the window counts whole, one whose events all lie outside
//   not at all; a row with events on both sides of an edge is counted from that part's raw messages;
// - a member talked in the window when an hour row has its first or last message inside it, or a raw
//   message lies in an edge part;
// - voice: the hours wholly inside add their voice_ms (the rollup splits each session over the hours
//   it spans); the part of an edge hour inside the window comes from the raw sessions overlapping it.
//   A session is at most MAX_VOICE_MS long (capture cuts it), which bounds that read.
// Raw events are kept for ACTIVITY_RETENTION_DAYS (at least 8 weeks), longer than the digest reaches.
// The raw reads name their index: joined to the parts, SQLite's planner would otherwise build an
// automatic index on `kind` over every raw event (minutes at 10M events).
import { sql } from 'kysely';
import { HOUR_MS, hourOf, MAX_VOICE_MS, MINUTE_MS } from '../activity/rows.ts';
import type { Reader } from '../db/side-reader.ts';
import type { ChatSource } from './metrics/input.ts';

export interface Window {
  from: number;
  to: number;
}

export interface ChatFigures {
  messages: number;
  communicators: number;
}

const windowKey = (w: Window) => `${w.from}:${w.to}`;
// A literal: better-sqlite3 binds numbers as REAL, and e.at / 3600000.0 is not an hour start.
const HOUR = sql.lit(HOUR_MS);

/** A source that answers for these windows only (asked any other, it throws: see activity-questions.ts). */
export async function loadChat(reader: Reader, windows: readonly Window[]): Promise<ChatSource> {
  const distinct = [...new Map(windows.map((w) => [windowKey(w), w])).values()];
  // All read at once: a side reader runs them back to back.
  const counted = await Promise.all(distinct.map((w) => chatFigures(reader, w)));
  const figures = new Map(distinct.map((w, i) => [windowKey(w), counted[i]!]));
  const of = (from: number, to: number): ChatFigures => {
    const f = figures.get(windowKey({ from, to }));
    if (!f) throw new Error(`loadChat: not loaded: [${from}, ${to})`);
    return f;
  };
  return { messageCount: (from, to) => of(from, to).messages, communicatorCount: (from, to) => of(from, to).communicators };
}

/**
 * The window as whole UTC hours [firstFull, endFull) (empty when it lies inside one hour) and the
 * parts of hours at its edges (the whole window when it lies inside one hour).
 */
function split(w: Window): { firstFull: number; endFull: number; parts: Window[] } {
  const firstFull = hourOf(w.from) === w.from ? w.from : hourOf(w.from) + HOUR_MS;
  const endFull = hourOf(w.to);
  if (firstFull >= endFull) return { firstFull: w.from, endFull: w.from, parts: [w] };
  return { firstFull, endFull, parts: [{ from: w.from, to: firstFull }, { from: endFull, to: w.to }].filter((p) => p.from < p.to) };
}

export async function chatFigures(reader: Reader, w: Window): Promise<ChatFigures> {
  if (!(w.from < w.to)) return { messages: 0, communicators: 0 };
  const { firstFull, endFull, parts } = split(w);
  // A window on hour boundaries has no edge parts; an empty [0, 0) keeps the VALUES list valid.
  const partRows = sql.join((parts.length ? parts : [{ from: 0, to: 0 }]).map((p) => sql`(${p.from}, ${p.to})`));
  const rows = { lo: hourOf(w.from), hi: hourOf(w.to - 1) };
  const [counted] = await reader.read(sql<{ messages: number; communicators: number }>`
    with parts(a, b) as (values ${partRows})
    select
      (select coalesce(sum(count), 0) from activity_hourly where hour >= ${rows.lo} and hour <= ${rows.hi} and kind = 'message' and first_at >= ${w.from} and last_at < ${w.to})
      + (select count(*) from parts p join activity_events e indexed by activity_events_at on e.at >= p.a and e.at < p.b where e.kind = 'message' and exists (
          select 1 from activity_hourly h where h.hour = (e.at / ${HOUR}) * ${HOUR} and h.user_id = e.user_id and h.kind = 'message' and (h.first_at < ${w.from} or h.last_at >= ${w.to})))
        as messages,
      (select count(*) from (
        select user_id from activity_hourly where hour >= ${rows.lo} and hour <= ${rows.hi} and kind = 'message'
          and ((first_at >= ${w.from} and first_at < ${w.to}) or (last_at >= ${w.from} and last_at < ${w.to}))
        union
        select e.user_id from parts p join activity_events e indexed by activity_events_at on e.at >= p.a and e.at < p.b where e.kind = 'message'
        union
        select user_id from (
          select user_id, sum(ms) as ms from (
            select user_id, voice_ms as ms from activity_hourly where hour >= ${firstFull} and hour < ${endFull} and kind = 'voice'
            union all
            select e.user_id, min(e.ended_at, p.b) - max(e.at, p.a) from parts p join activity_events e indexed by activity_events_voice_end
              on e.kind = 'voice' and e.ended_at > p.a and e.ended_at <= p.b + ${MAX_VOICE_MS} and e.at < p.b)
          group by user_id)
        where ms >= ${MINUTE_MS})) as communicators`);
  return { messages: Number(counted!.messages), communicators: Number(counted!.communicators) };
}
