// Shared by the challenge rig tests: the real bot with challenges on and a clock the test sets,
// moderators and members driving /challenge through the Discord emulator (commands, modals,
// buttons), and the schedule job run at chosen moments as the lead's scheduler runs it.
import { expect } from 'vitest';
import { runChallengeSchedule } from '../../src/challenges/challenge-schedule.ts';
import type { Db } from '../../src/db/database.ts';
import { SAMPLE, type RawMessage, type VisibleReply } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';

export const ZONE = 'Europe/Berlin';
export const CHANNEL = SAMPLE.channels.challenges;
export const MODS = SAMPLE.channels.mods;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** 2026-11-25 12:00 UTC = 13:00 in Berlin (UTC+1 in November). */
export const T0 = Date.UTC(2026, 10, 25, 12);
/** Generous: one interaction early in a rig's life can take seconds on a loaded machine. */
export const WAIT = 15_000;

export interface SetClock {
  t: number;
  now(): number;
}
export const setClock = (t = T0): SetClock => ({ t, now() { return this.t; } });

export async function startChallengeRig(clock: SetClock, dataDir?: string): Promise<BotRig> {
  return startBotRig({ background: false, clock, dataDir, env: { CHALLENGE_CHANNEL_ID: CHANNEL, REPORT_TIMEZONE: ZONE } });
}

/** A paid tier for a member (the sandbox's tiers: Supporter, Pro, Founder). */
export async function grant(db: Db, userId: string, tierName: string): Promise<void> {
  await db
    .insertInto('grants')
    .values({ discord_user_id: userId, tier_name: tierName, until: null, granted_by: SAMPLE.ownerId, reason: 'test', created_at: 0, revoked_at: null, revoked_by: null })
    .execute();
}

type Component = { type: number; custom_id?: string; label?: string; components?: Component[]; component?: Component };
export const componentsOf = (components: unknown[]): Component[] => (components as Component[]).flatMap((row) => row.components ?? [row]);

export interface Form {
  title?: string;
  statement?: string;
  rules?: string;
  start?: string;
  deadline?: string;
}

export function challengeDriver(rig: () => BotRig, clock: SetClock) {
  const discord = () => rig().discord;

  /** Runs a subcommand that opens a form; returns the form (or the refusal). */
  const open = (userId: string, sub: string, options: Record<string, unknown> = {}) =>
    discord().runCommand({ userId, name: 'challenge', options: { [sub]: options }, channelId: SAMPLE.channels.general }).visibleReply(WAIT);

  const fill = (userId: string, modal: VisibleReply, fields: Record<string, string | string[]>) => {
    expect(modal.kind, `expected a form, got: ${modal.content}`).toBe('modal');
    return discord().submitModal({ userId, customId: String(modal.data.custom_id), fields }).visibleReply(WAIT);
  };

  /** /challenge create + the form; returns the reply and the new challenge's id (from the reply). */
  const create = async (userId: string, options: Record<string, unknown>, form: Form) => {
    const reply = await fill(userId, await open(userId, 'create', options), { rules: '', ...form });
    const id = /Challenge #(\d+)/.exec(reply.content ?? '')?.[1];
    return { reply, id: id ? Number(id) : undefined };
  };

  const enter = async (userId: string, challenge: number, fields: { solution?: string; link?: string; notes?: string }) => {
    const modal = await open(userId, 'submit', { challenge });
    if (modal.kind !== 'modal') return { modal, reply: modal };
    return { modal, reply: await fill(userId, modal, { solution: '', link: '', notes: '', ...fields }) };
  };

  const run = (userId: string, sub: string, options: Record<string, unknown> = {}) => open(userId, sub, options);

  /** Everything the member was sent (reply and follow-ups), once the dispatcher has finished. */
  const everything = async (userId: string, sub: string, options: Record<string, unknown> = {}) => {
    const handle = discord().runCommand({ userId, name: 'challenge', options: { [sub]: options }, channelId: SAMPLE.channels.general });
    await discord().waitFor(() => rig().logs.entries().some((l) => l.interactionId === handle.id && (l.msg === 'interaction handled' || l.msg === 'interaction refused')), WAIT);
    return handle.responses.filter((r) => r.ok && r.kind !== 'delete-original').map((r) => ({ ephemeral: r.ephemeral, text: JSON.stringify(r.body) }));
  };

  /** The job at a moment, then the outbox delivers what it queued. */
  const tick = async (at: number) => {
    clock.t = at;
    const result = await runChallengeSchedule(rig().app.deps);
    await rig().app.membership.outbox.drain();
    return result;
  };

  const deliver = () => rig().app.membership.outbox.drain();

  const botMessages = (channelId: string): RawMessage[] => discord().state.messagesIn(channelId).filter((m) => m.author.id === SAMPLE.applicationId);
  const cards = () => botMessages(MODS).filter((m) => (m.embeds as { title?: string }[])[0]?.title?.startsWith('Entry #'));
  const cardFor = (submissionId: number) => {
    const card = cards().find((m) => (m.embeds as { title: string }[])[0]!.title.startsWith(`Entry #${submissionId} `));
    expect(card, `no judge card for entry #${submissionId}`).toBeDefined();
    return card!;
  };

  const judge = (judgeId: string, submissionId: number, verdict: 'accept' | 'best') =>
    discord().clickButton({ userId: judgeId, message: cardFor(submissionId).id, customId: `ch-judge:${submissionId}:${verdict}`, channelId: MODS }).visibleReply(WAIT);

  const decline = async (judgeId: string, submissionId: number, reason: string, details = '') => {
    const card = cardFor(submissionId);
    const modal = await discord().clickButton({ userId: judgeId, message: card.id, customId: `ch-judge:${submissionId}:decline`, channelId: MODS }).visibleReply(WAIT);
    if (modal.kind !== 'modal') return modal;
    return discord().submitModal({ userId: judgeId, customId: String(modal.data.custom_id), fields: { reason: [reason], details }, message: card.id, channelId: MODS }).visibleReply(WAIT);
  };

  const dms = (userId: string) => discord().state.messagesIn(discord().dmChannelId(userId)).map((m) => m.content);

  return { open, fill, create, enter, run, everything, tick, deliver, botMessages, cards, cardFor, judge, decline, dms };
}

export const submissionsOf = (db: Db, challengeId: number) => db.selectFrom('submissions').selectAll().where('challenge_id', '=', challengeId).orderBy('id').execute();
export const challengeRow = (db: Db, id: number) => db.selectFrom('challenges').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
export const challengePoints = (db: Db) => db.selectFrom('points').select(['member_id', 'amount', 'ref', 'at']).where('source', '=', 'challenge').orderBy('id').execute();
export const auditActions = async (db: Db, id: number) => (await db.selectFrom('challenge_audit').select('action').where('challenge_id', '=', id).orderBy('id').execute()).map((r) => r.action);
