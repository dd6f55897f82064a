import { writeFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../src/db/database.ts';
import { INTERACTION_KINDS } from '../src/activity/rows.ts';
import type { ActivityKind } from '../src/activity/sink.ts';
import { parseTiers } from '../src/membership/tiers.ts';
import { createComputeDigest } from '../src/reports/compute-digest.ts';
import { loadChallengeEntries, loadQuestions } from '../src/reports/load-content.ts';
import { loadMembers } from '../src/reports/load-members.ts';
import { loadPosts } from '../src/reports/load-posts.ts';
import { digestJson } from '../src/reports/metrics/compute.ts';
import { chatFromEvents, interactionsFromTimestamps, type ChatEvent, type VoiceSession } from '../src/reports/metrics/in-memory.ts';
import { SANDBOX_TIERS } from '../src/sandbox/tiers.ts';

/**
 * One side of the digest benchmark, in its own process so its peak RSS is its own. One line of JSON out.
 *   rollups  createComputeDigest(db, …)(asOf): what the bot, the CLI and /stats run
 *   raw      the baseline: the same loaders for members and content, every raw activity event read
 *            into the in-memory sources (interactionsFromTimestamps, chatFromEvents), then digestJson
 *   idle     the same imports and an opened database: the RSS floor
 * The digest JSON goes to BENCH_OUT, for the parent to compare.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`digest-child: ${name} is not set (bench/digest.ts sets it)`);
  return value;
};
const mode = process.argv[2] ?? 'rollups';
const file = env('BENCH_DB');
const asOf = Number(env('BENCH_AS_OF'));
const tiers = parseTiers(SANDBOX_TIERS);
const policy = { gracePeriodMs: 72 * 3_600_000 };
const db = openDatabase(file);

const isInteraction = new Set<string>(INTERACTION_KINDS);

/** Every raw event, once, through a plain better-sqlite3 iterator (the fastest scan there is). */
function rawSources() {
  const sqlite = new SQLite(file, { readonly: true });
  const times = new Map<string, number[]>();
  const messages: ChatEvent[] = [];
  const voice: VoiceSession[] = [];
  const rows = sqlite.prepare('select user_id, kind, at, ended_at from activity_events').raw().iterate() as Iterable<[string, ActivityKind, number, number | null]>;
  for (const [user_id, kind, at, ended_at] of rows) {
    if (isInteraction.has(kind)) {
      const list = times.get(user_id);
      if (list) list.push(at);
      else times.set(user_id, [at]);
    }
    if (kind === 'message') messages.push({ user_id, at });
    else if (kind === 'voice') voice.push({ user_id, started_at: at, ended_at: ended_at! });
  }
  sqlite.close();
  return { interactions: interactionsFromTimestamps(times), chat: chatFromEvents(messages, voice) };
}

const started = performance.now();
let json: unknown = null;
if (mode === 'rollups') {
  json = await createComputeDigest(db, tiers, policy)(asOf);
} else if (mode === 'raw') {
  const [members, questions, challenge_entries, posts] = [await loadMembers(db), await loadQuestions(db), await loadChallengeEntries(db), await loadPosts(db)];
  json = digestJson({ tiers, policy, members, questions, challenge_entries, posts, ...rawSources() }, asOf);
}
const wallMs = performance.now() - started;
await db.destroy();
if (json) writeFileSync(env('BENCH_OUT'), JSON.stringify(json));
// maxRSS is in kilobytes.
console.log(JSON.stringify({ mode, wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
