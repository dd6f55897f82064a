import { Client, DiscordAPIError, Events, HTTPError, RateLimitError, RESTEvents } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { backoffDelay, classify, DEFAULT_BACKOFF } from '../../src/membership/outbox-errors.ts';
import { nonceFor } from '../../src/membership/outbox-send.ts';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../../src/membership/outbox-worker.ts';
import { enqueueMessage, enqueueRoleChange } from '../../src/membership/outbox.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const G = SAMPLE.guildId;
const { ada, brian } = SAMPLE.users;
const { member: SUPPORTER, pro: PRO, founder: FOUNDER } = SAMPLE.roles;
const OWNERS = SAMPLE.channels.owners;
/** As faults match it: the decoded path after /api/v10. Recorded requests carry the full path. */
const roleRoute = (user: string, role: string) => `/guilds/${G}/members/${user}/roles/${role}`;
const rolePath = (user: string, role: string) => `/api/v10${roleRoute(user, role)}`;

// Each test gets its own database (the app's worker, once wired, never sees these rows) and a
// clock it moves by hand; the worker talks to the emulator through the running bot's client.
let rig: BotRig;
let t: TestDatabase;
let worker: OutboxWorker;
let mark = 0;
const clock = { ms: 0, now: () => clock.ms };
const since = () => rig.discord.requests.slice(mark);
const rows = () => t.db.selectFrom('outbox').selectAll().orderBy('id').execute();
const audits = () => t.db.selectFrom('role_audit').selectAll().orderBy('id').execute();
const newWorker = (db: Db, extra: Partial<OutboxWorkerOptions> = {}) =>
  createOutboxWorker({
    db, client: rig.app.client, guildId: G, ownerChannelId: OWNERS, tiers: rig.app.deps.tiers, logger: rig.logs.logger, clock,
    backoff: { random: () => 0.5 }, ...extra,
  });
const queueRole = (userId: string, roleId: string, action: 'add' | 'remove' = 'add', db: Db = t.db) =>
  enqueueRoleChange(db, { userId, roleId, action, reason: `Stripe: Pro subscription ${action === 'add' ? 'active' : 'ended'}`, source: 'stripe:evt_test', now: clock.now() });
const roles = (userId: string) => rig.discord.state.member(userId)?.roles ?? [];

beforeAll(async () => {
  rig = await startBotRig({ background: false });
});
afterAll(() => rig.stop());
beforeEach(async () => {
  t = await freshDatabase();
  clock.ms = Date.UTC(2026, 10, 25, 12);
  worker = newWorker(t.db);
  mark = rig.discord.requests.length;
});
afterEach(async () => {
  await worker.stop();
  rig.discord.clearFaults();
  await t.cleanup();
});

describe('role changes', () => {
  it('adds a role with the reason in Discord’s audit log and records a role_audit row in the same commit', async () => {
    await queueRole(ada, PRO);
    expect(await worker.drain()).toEqual({ applied: 1, waiting: 0, failed: 0, retrying: 0 });
    const [put, ...others] = since();
    expect(others).toEqual([]);
    expect(put).toMatchObject({ method: 'PUT', path: rolePath(ada, PRO), status: 204 });
    expect(put!.headers['x-audit-log-reason']).toBe(encodeURIComponent('Stripe: Pro subscription active'));
    expect(roles(ada)).toContain(PRO);
    expect(await rows()).toMatchObject([{ status: 'done', done_at: clock.ms, attempts: 1, last_error: null }]);
    expect(await audits()).toEqual([
      { id: 1, discord_user_id: ada, role_id: PRO, action: 'granted', reason: 'Stripe: Pro subscription active', source: 'stripe:evt_test', at: clock.ms, posted_at: null },
    ]);
  });

  it('removes a role and audits it as revoked', async () => {
    expect(roles(ada)).toContain(SUPPORTER);
    await queueRole(ada, SUPPORTER, 'remove');
    expect(await worker.drain()).toMatchObject({ applied: 1 });
    expect(since()).toMatchObject([{ method: 'DELETE', path: rolePath(ada, SUPPORTER), status: 204, headers: { 'x-audit-log-reason': encodeURIComponent('Stripe: Pro subscription ended') } }]);
    expect(roles(ada)).not.toContain(SUPPORTER);
    expect(await audits()).toMatchObject([{ action: 'revoked', role_id: SUPPORTER, discord_user_id: ada }]);
  });

  it('a remove queued while the add is in flight runs after it: the member ends without the role, both audited', async () => {
    await queueRole(SAMPLE.ownerId, PRO);
    const revoke = () => void queueRole(SAMPLE.ownerId, PRO, 'remove');
    rig.app.client.rest.once(RESTEvents.Response, revoke);
    expect(await worker.drain()).toMatchObject({ applied: 2 });
    expect(since().map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 204', 'DELETE 204']);
    expect(roles(SAMPLE.ownerId)).not.toContain(PRO);
    expect((await audits()).map((a) => a.action)).toEqual(['granted', 'revoked']);
    expect((await rows()).map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('never touches a role outside the tiers file', async () => {
    await queueRole(brian, SAMPLE.roles.moderator);
    expect(await worker.drain()).toMatchObject({ failed: 1 });
    expect(since()).toEqual([]);
    expect((await rows())[0]!.last_error).toMatch(/not a tier, reward or champion role/);
  });
});

describe('Discord faults', () => {
  it('a lone 500 is retried by discord.js itself; the worker sees one success', async () => {
    rig.discord.injectFault({ method: 'PUT', path: roleRoute(brian, FOUNDER), status: 500 });
    await queueRole(brian, FOUNDER);
    expect(await worker.drain()).toMatchObject({ applied: 1 });
    expect(since().map((r) => r.status)).toEqual([500, 204]);
  });

  it('500s that outlast discord.js’s retries back off, then succeed once due', async () => {
    rig.discord.injectFault({ method: 'PUT', path: roleRoute(brian, FOUNDER), status: 502, times: 4 });
    await queueRole(brian, FOUNDER, 'remove');
    await queueRole(brian, FOUNDER);
    expect(await worker.drain()).toEqual({ applied: 0, waiting: 0, failed: 0, retrying: 1 });
    expect(since().map((r) => r.status)).toEqual([502, 502, 502, 502]);
    const [, row] = await rows();
    // random 0.5 → 3/4 of the 2 s base for the first retry.
    expect(row).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: clock.ms + 1_500 });
    expect(row!.last_error).toMatch(/^502/);

    clock.ms += 1_499;
    expect(await worker.drain()).toMatchObject({ applied: 0, retrying: 0 });
    expect(since()).toHaveLength(4);
    clock.ms += 1;
    expect(await worker.drain()).toMatchObject({ applied: 1 });
    expect(since().at(-1)).toMatchObject({ method: 'PUT', status: 204 });
    expect(await audits()).toHaveLength(1);
  });

  it('a 429 with retry_after is waited out by discord.js, then the role is applied', async () => {
    rig.discord.injectFault({ method: 'PUT', path: roleRoute(brian, PRO), status: 429, retryAfter: 0.05 });
    await queueRole(brian, PRO);
    expect(await worker.drain()).toMatchObject({ applied: 1, retrying: 0 });
    expect(since()).toMatchObject([{ status: 429, response: { retry_after: 0.05 } }, { status: 204 }]);
    expect((await rows())[0]).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('honours retry_after itself when the client rejects on rate limits', async () => {
    const client = new Client({ intents: [], rest: { api: rig.discord.apiUrl, rejectOnRateLimit: () => true } });
    client.rest.setToken(rig.config.discordToken);
    const own = newWorker(t.db, { client });
    try {
      rig.discord.injectFault({ method: 'PUT', path: roleRoute(brian, SUPPORTER), status: 429, retryAfter: 30 });
      await queueRole(brian, SUPPORTER);
      expect(await own.drain()).toMatchObject({ retrying: 1 });
      const [row] = await rows();
      expect(row!.next_attempt_at - clock.ms).toBeGreaterThanOrEqual(30_000);
      expect(row!.next_attempt_at - clock.ms).toBeLessThan(31_000);
      expect(row!.last_error).toMatch(/^429/);
    } finally {
      await own.stop();
      await client.destroy();
    }
  });

  it('403/50013 is tried once, fails, and two failing members make exactly one alert that names the fix', async () => {
    const pro = rig.discord.state.roles.get(PRO)!;
    const position = pro.position;
    pro.position = 7; // above the bot's role (5)
    try {
      await queueRole(ada, PRO, 'remove');
      await queueRole(brian, PRO, 'remove');
      expect(await worker.drain()).toEqual({ applied: 1, waiting: 0, failed: 2, retrying: 0 });
      expect(await worker.drain()).toEqual({ applied: 0, waiting: 0, failed: 0, retrying: 0 });
    } finally {
      pro.position = position;
    }
    const sent = since();
    expect(sent.filter((r) => r.method === 'DELETE').map((r) => [r.status, (r.response as { code: number }).code])).toEqual([[403, 50013], [403, 50013]]);
    const alerts = sent.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${OWNERS}/messages`);
    expect(alerts).toHaveLength(1);
    const body = alerts[0]!.body as { content: string; allowed_mentions: { parse: string[] } };
    expect(body.content).toContain(`I can't remove <@&${PRO}>: move the Guildhall role above Pro in Server Settings → Roles`);
    expect(body.content).toContain('/doctor');
    expect(body.allowed_mentions.parse).toEqual([]);
    expect((await rows()).slice(0, 2).map((r) => [r.status, r.attempts])).toEqual([['failed', 1], ['failed', 1]]);
    expect(await audits()).toEqual([]);
  });

  it('gives up after maxAttempts outages, failed with one alert', async () => {
    const patient = newWorker(t.db, { backoff: { random: () => 0, maxAttempts: 2 } });
    try {
      rig.discord.injectFault({ method: 'PUT', path: roleRoute(ada, FOUNDER), status: 503, times: 8 });
      await queueRole(ada, FOUNDER);
      expect(await patient.drain()).toMatchObject({ retrying: 1 });
      clock.ms += 1_000;
      expect(await patient.drain()).toMatchObject({ failed: 1, applied: 1 });
    } finally {
      await patient.stop();
    }
    const [row, alert] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(alert).toMatchObject({ kind: 'message', status: 'done' });
    expect(alert!.payload).toMatch(/gave up on a role change after 2 attempts/);
  });

  it('10007 Unknown Member waits, and is applied when they join (GUILD_MEMBER_ADD)', async () => {
    const newbie = '1300000000000000599';
    await queueRole(newbie, PRO);
    expect(await worker.drain()).toMatchObject({ waiting: 1 });
    expect((await rows())[0]).toMatchObject({ status: 'waiting_member', attempts: 1 });
    expect(await worker.drain()).toMatchObject({ waiting: 0 });

    const joined = new Promise<string>((resolve) => rig.app.client.once(Events.GuildMemberAdd, (m) => resolve(m.id)));
    await rig.discord.addMember({ id: newbie, username: 'newbie' });
    await worker.memberJoined(await joined);
    expect(await worker.drain()).toMatchObject({ applied: 1 });
    expect(roles(newbie)).toEqual([PRO]);
    expect((await rows())[0]).toMatchObject({ status: 'done', attempts: 2 });
    expect(await audits()).toHaveLength(1);
  });
});

describe('messages', () => {
  it('a DM to closed DMs fails once, is logged, is not retried, and waits as a notice', async () => {
    rig.discord.setDmsClosed(ada, true);
    try {
      await enqueueMessage(t.db, { target: { userId: ada }, body: { content: 'Your payment failed' }, dedupeKey: 'dm:1', reason: 'r', source: 's', now: clock.now() });
      expect(await worker.drain()).toMatchObject({ failed: 1 });
      clock.ms += 3_600_000;
      expect(await worker.drain()).toMatchObject({ failed: 0, retrying: 0 });
    } finally {
      rig.discord.setDmsClosed(ada, false);
    }
    const posts = since().filter((r) => r.path.endsWith('/messages'));
    expect(posts).toMatchObject([{ status: 403, response: { code: 50007 } }]);
    expect((await rows())[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rig.logs.entries().some((e) => e.outboxId === 1 && String(e.error).includes('50007'))).toBe(true);
    const notices = await t.db.selectFrom('member_notices').selectAll().execute();
    expect(notices).toMatchObject([{ user_id: ada, source: 's', shown_at: null }]);
    expect(JSON.parse(notices[0]!.body)).toMatchObject({ content: 'Your payment failed' });
  });

  it('a message queued twice under one dedupe key is sent once, with a nonce Discord enforces', async () => {
    const message = { target: { channelId: SAMPLE.channels.mods }, body: { content: 'Heads up <@&1300000000000000302>' }, dedupeKey: 'alert:x', reason: 'r', source: 's', now: clock.now() };
    await enqueueMessage(t.db, message);
    await enqueueMessage(t.db, message);
    expect(await worker.drain()).toMatchObject({ applied: 1 });
    const posts = since().filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ nonce: nonceFor((await rows())[0]!), enforce_nonce: true, allowed_mentions: { parse: [] } });
  });
});

describe('a crash between Discord’s success and our commit', () => {
  // Worker A has its own connection to the same file and "crashes" (its database goes away) the
  // moment Discord answers the operation, before it can commit; worker B then drains the same rows.
  const DM = 'Welcome, Founder!';
  it.each([
    ['a role change', () => queueRole(brian, FOUNDER), `/guilds/${G}/members/${brian}/roles/${FOUNDER}`],
    ['a DM', () => enqueueMessage(t.db, { target: { userId: brian }, body: { content: DM }, dedupeKey: 'dm:founder', reason: 'r', source: 's', now: clock.now() }), '/messages'],
  ] as const)('%s is applied exactly once after a restart', async (name, queue, finalPath) => {
    await queue();
    const dbA = openDatabase(t.path);
    let crashed = false;
    const crash = (request: { path: string }) => {
      if (!crashed && request.path.endsWith(finalPath)) (crashed = true), void dbA.destroy();
    };
    rig.app.client.rest.on(RESTEvents.Response, crash);
    try {
      await expect(newWorker(dbA).drain()).rejects.toThrow();
    } finally {
      rig.app.client.rest.off(RESTEvents.Response, crash);
    }
    expect(crashed).toBe(true);
    expect((await rows()).map((r) => r.status)).toEqual(['pending']);

    expect(await worker.drain()).toEqual({ applied: 1, waiting: 0, failed: 0, retrying: 0 });
    expect((await rows()).map((r) => r.status)).toEqual(['done']);
    const finals = since().filter((r) => r.path.endsWith(finalPath));
    expect(finals.map((r) => r.status)).toEqual(name === 'a DM' ? [200, 200] : [204, 204]);
    if (name === 'a DM') {
      // Discord (enforce_nonce) answered the second POST with the first message instead of a new one.
      expect((finals[1]!.response as { id: string }).id).toBe((finals[0]!.response as { id: string }).id);
      expect(rig.discord.state.messagesIn(rig.discord.dmChannelId(brian)).filter((m) => m.content === DM)).toHaveLength(1);
      expect(await audits()).toEqual([]);
    } else {
      expect(await audits()).toMatchObject([{ action: 'granted', discord_user_id: brian, role_id: FOUNDER }]);
      expect(roles(brian).filter((r) => r === FOUNDER)).toHaveLength(1);
    }
  });
});

describe('error decisions (discord.js’s own error classes)', () => {
  const data = { body: undefined, files: undefined };
  const api = (status: number, code: number, extra: object = {}) => new DiscordAPIError({ message: 'x', code, ...extra }, code, status, 'PUT', 'http://x', data);

  it.each([
    ['10007 on a role', api(404, 10007), 'role_add', { kind: 'waiting_member' }],
    ['50013 on a role', api(403, 50013), 'role_add', { kind: 'failed', alertCode: 50013 }],
    ['10011 on a role', api(404, 10011), 'role_remove', { kind: 'failed', alertCode: 10011 }],
    ['50013 on a message', api(403, 50013), 'message', { kind: 'failed', code: 50013 }],
    ['50007 closed DMs', api(403, 50007), 'message', { kind: 'failed', code: 50007 }],
    ['a 429 body', api(429, 0, { retry_after: 2.5 }), 'role_add', { kind: 'retry', afterMs: 2_500 }],
    ['HTTPError 503', new HTTPError(503, 'Service Unavailable', 'PUT', 'http://x', data), 'role_add', { kind: 'retry', afterMs: undefined }],
    ['a network error', new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), 'message', { kind: 'retry', afterMs: undefined }],
  ] as const)('%s', (_name, error, kind, expected) => {
    const outcome = classify(error, kind);
    expect(outcome).toMatchObject(expected);
    if (!('alertCode' in expected)) expect(outcome).not.toHaveProperty('alertCode');
  });

  it('RateLimitError carries retryAfter in ms', () => {
    const error = new RateLimitError({ timeToReset: 0, limit: 1, method: 'PUT', hash: 'h', url: 'u', route: '/r', majorParameter: G, global: false, retryAfter: 7_000, sublimitTimeout: 0, scope: 'user' });
    expect(classify(error, 'role_add')).toMatchObject({ kind: 'retry', afterMs: 7_000 });
  });

  it('backoff doubles from the base, stays within [half, full], and caps at 15 minutes', () => {
    const at = (attempt: number, r: number) => backoffDelay(attempt, { ...DEFAULT_BACKOFF, random: () => r });
    expect([1, 2, 3].map((a) => [at(a, 0), at(a, 1)])).toEqual([[1_000, 2_000], [2_000, 4_000], [4_000, 8_000]]);
    expect(at(30, 1)).toBe(15 * 60_000);
  });
});
