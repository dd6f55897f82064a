// Exact message and communicator counts from activity_hourly (see load-interactions.ts for why an
// hour row's first_at/last_at decide most edge cases), with raw events only where the rollup cannot:
// - messages: a row of an edge hour whose events straddle the window's edge is counted from the raw
//   messages of that part of the hour;
// - voice: the hours wholly inside the window add their voice_ms (the rollup splits each session
//   over the hours it spans); the part of an edge hour inside the window comes from the raw sessions
//   that overlap it. A session is at most MAX_VOICE_MS long (capture cuts it), which bounds the scan.
import { sql } from 'kysely';
import { HOUR_MS, hourOf, MAX_VOICE_MS, MINUTE_MS } from '../activity/rows.ts';
import type { Db } from '../db/database.ts';
import type { Window } from './load-activity.ts';
import { jsonRows } from './load-json.ts';

export interface ChatFigures {
  messages: number;
  communicators: number;
}

/** [a, b): the part of an hour that lies in the window. */
const partOf = (hour: number, w: Window): Window => ({ from: Math.max(hour, w.from), to: Math.min(hour + HOUR_MS, w.to) });

/** Per user: messages from rows wholly inside, a sure message inside, hours to read raw, voice of whole hours, edge hours with voice. */
type UserRow = [user: string, messages: number, talks: number, straddled: number[], voiceMs: number, voiceEdges: number[]];

export async function loadChat(db: Db, w: Window): Promise<ChatFigures> {
  const inside = sql`first_at >= ${w.from} and last_at < ${w.to}`;
  const touches = sql`last_at >= ${w.from} and first_at < ${w.to}`;
  const whole = sql`hour >= ${w.from} and hour + ${HOUR_MS} <= ${w.to}`;
  const rows = await jsonRows<UserRow>(db, sql`select json_group_array(json_array(user_id, n, talks, json(straddled), voice, json(edges))) from (
    select user_id,
      sum(case when kind = 'message' and ${inside} then count else 0 end) as n,
      max(kind = 'message' and ${touches} and (first_at >= ${w.from} or last_at < ${w.to})) as talks,
      json_group_array(hour) filter (where kind = 'message' and ${touches} and not (${inside})) as straddled,
      sum(case when kind = 'voice' and ${whole} then voice_ms else 0 end) as voice,
      json_group_array(hour) filter (where kind = 'voice' and not (${whole})) as edges
    from activity_hourly where hour >= ${hourOf(w.from)} and hour <= ${hourOf(w.to - 1)} and kind in ('message', 'voice') group by user_id)`);
  let messages = 0;
  const talkers = new Set<string>();
  const voiceMs = new Map<string, number>();
  const straddled = new Map<number, Set<string>>();
  const partHours = new Set<number>();
  for (const [user, n, talks, straddles, voice, edges] of rows) {
    messages += n;
    // An endpoint event inside the window is a message inside it.
    if (talks) talkers.add(user);
    for (const hour of straddles) straddled.set(hour, (straddled.get(hour) ?? new Set<string>()).add(user));
    if (voice) voiceMs.set(user, voice);
    for (const hour of edges) partHours.add(hour);
  }
  for (const [hour, users] of straddled) {
    const part = partOf(hour, w);
    const raw = await sql<{ user_id: string; n: number }>`
      select user_id, count(*) as n from activity_events where kind = 'message' and at >= ${part.from} and at < ${part.to} group by user_id`.execute(db);
    for (const r of raw.rows) {
      if (!users.has(r.user_id)) continue;
      messages += r.n;
      talkers.add(r.user_id);
    }
  }
  if (partHours.size > 0) {
    // One read for both edges: every session that overlaps either part of an edge hour.
    const parts = [...partHours].map((hour) => partOf(hour, w));
    const from = Math.min(...parts.map((p) => p.from));
    const to = Math.max(...parts.map((p) => p.to));
    const sessions = await jsonRows<[string, number, number]>(db, sql`select json_group_array(json_array(user_id, at, ended_at)) from activity_events
      where kind = 'voice' and ended_at > ${from} and ended_at <= ${to + MAX_VOICE_MS} and at < ${to}`);
    for (const [user, at, ended] of sessions) {
      for (const part of parts) {
        const ms = Math.min(ended, part.to) - Math.max(at, part.from);
        if (ms > 0) voiceMs.set(user, (voiceMs.get(user) ?? 0) + ms);
      }
    }
  }
  for (const [user, ms] of voiceMs) if (ms >= MINUTE_MS) talkers.add(user);
  return { messages, communicators: talkers.size };
}
