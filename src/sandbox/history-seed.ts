// Seeds the plan (history.ts, history-chat.ts) through the sources, as production data arrives:
// GUILD_MEMBER_ADD with past joined_at, MESSAGE_CREATE and THREAD_CREATE with snowflakes of past
// instants, Stripe webhooks with past `created`. Nothing is written to the bot's tables directly.
import type { DiscordEmulator } from './discord/index.ts';
import { playBilling, type BillingPorts, type BillingSummary } from './history-billing.ts';
import { atDays, chatMessages, threadMessages, type PlannedMessage } from './history-chat.ts';
import { HISTORY_MEMBERS } from './history.ts';

/** Every planned instant is at least this long before now, so live activity (the demo's other steps) is told apart. */
export const HISTORY_CUTOFF_MS = 3_600_000;

export interface HistoryPorts extends Omit<BillingPorts, 'until'> {
  discord: DiscordEmulator;
  /** True when the bot has applied every Stripe event and sent every due outbox row. */
  botIdle(): Promise<boolean>;
  /** Message and join events the bot's activity capture has stored, stamped before `before` (ms). */
  captured(before: number): Promise<number>;
  timeoutMs?: number;
}

export interface HistorySummary {
  now: number;
  joins: number;
  leaves: number;
  messages: number;
  forumPosts: number;
  threads: number;
  billing: BillingSummary;
  /** What the bot had captured when seeding finished (message and join events before the cutoff). */
  captured: number;
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`history: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

async function postAll(discord: DiscordEmulator, messages: PlannedMessage[], now: number): Promise<void> {
  const opened = new Map<string, string>();
  for (const m of messages) {
    const at = atDays(now, m.days);
    if (m.kind === 'forum_post') {
      const post = await discord.openPastForumPost({ forumId: m.channelId, authorId: m.authorId, title: m.title!, content: m.content, at });
      opened.set(m.title!, post.id);
    } else if (m.kind === 'thread_start') {
      const thread = await discord.openPastThread({ channelId: m.channelId, authorId: m.authorId, name: m.title!, content: m.content, at });
      opened.set(m.title!, thread.id);
    } else {
      const channelId = m.kind === 'reply' ? opened.get(m.title!) : m.channelId;
      if (!channelId) throw new Error(`history plan: a reply to "${m.title}" comes before it`);
      await discord.postPastMessage({ channelId, authorId: m.authorId, content: m.content, at });
    }
  }
}

/**
 * The 12 weeks before `now` (ms; the digest's asOf). Resolves once the bot has applied every
 * Stripe event and its capture has stored every message and join; leavers leave last.
 */
export async function seedHistory(ports: HistoryPorts, now: number): Promise<HistorySummary> {
  const { discord } = ports;
  const wait = (check: () => Promise<boolean>, what: string) => until(check, what, ports.timeoutMs);
  const members = [...HISTORY_MEMBERS].sort((a, b) => b.joined - a.joined);
  for (const m of members) {
    await discord.addMember({ id: m.id, username: m.name, globalName: capitalised(m.name) }, { joinedAt: new Date(atDays(now, m.joined)).toISOString() });
  }
  const billing = await playBilling({ ...ports, until: wait }, now);
  const messages = [...chatMessages(), ...threadMessages()].sort((a, b) => b.days - a.days);
  if (messages.some((m) => atDays(now, m.days) >= now - HISTORY_CUTOFF_MS)) throw new Error('history plan: a message is too close to now');
  await postAll(discord, messages, now);
  const expected = members.length + messages.length;
  const cutoff = now - HISTORY_CUTOFF_MS;
  let captured = 0;
  await wait(async () => (captured = await ports.captured(cutoff)) >= expected, `the activity capture to store ${expected} history events (is deps.activity the capture of src/activity/?)`);
  await wait(ports.botIdle, 'the bot to apply every Stripe event and role change');
  const leavers = members.filter((m) => m.leaves);
  for (const m of leavers) await discord.removeMember(m.id);
  return {
    now, joins: members.length, leaves: leavers.length, messages: messages.length, captured, billing,
    forumPosts: messages.filter((m) => m.kind === 'forum_post').length, threads: messages.filter((m) => m.kind === 'thread_start').length,
  };
}
