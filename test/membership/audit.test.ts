import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { flushAudit, renderAuditLine } from '../../src/membership/audit.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/membership/outbox-worker.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';

const OWNERS = SAMPLE.channels.owners;
const users = [SAMPLE.users.ada, SAMPLE.users.brian, SAMPLE.ownerId];
const roles = [SAMPLE.roles.member, SAMPLE.roles.pro, SAMPLE.roles.founder];
const HOUR = Date.UTC(2026, 10, 25, 14);

let rig: BotRig;
let t: TestDatabase;
let worker: OutboxWorker;
let mark = 0;
const clock = { ms: HOUR, now: () => clock.ms };
const posts = () => rig.discord.requests.slice(mark).filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${OWNERS}/messages`);
type Embed = { title?: string; description: string };
const bodyOf = (r: { body: unknown }) => r.body as { content?: string; embeds: Embed[]; allowed_mentions: { parse: string[] } };

/** A busy hour: `n` grants and revokes with realistic reasons and Stripe event ids. */
async function auditRows(n: number, reason: (i: number) => string = (i) => (i % 2 ? 'Stripe: subscription canceled' : 'Stripe: subscription active')) {
  const rows = Array.from({ length: n }, (_, i) => ({
    discord_user_id: users[i % 3]!, role_id: roles[i % 3]!, action: i % 2 ? ('revoked' as const) : ('granted' as const),
    reason: reason(i), source: `stripe:evt_1QxYz${String(i).padStart(19, '0')}`, at: HOUR + i * 60_000, posted_at: null,
  }));
  await t.db.insertInto('role_audit').values(rows).execute();
  return rows;
}

beforeAll(async () => {
  rig = await startBotRig({ background: false });
});
afterAll(() => rig.stop());
beforeEach(async () => {
  t = await freshDatabase();
  worker = createOutboxWorker({ db: t.db, client: rig.app.client, guildId: SAMPLE.guildId, ownerChannelId: OWNERS, tiers: rig.app.deps.tiers, logger: rig.logs.logger, clock });
  mark = rig.discord.requests.length;
});
afterEach(async () => {
  await worker.stop();
  await t.cleanup();
});

it('renders one line per change, flattened, in each reader’s timezone', () => {
  const base = { role_id: SAMPLE.roles.pro, discord_user_id: SAMPLE.users.ada, source: 'grant:12', at: 1_764_079_200_123 };
  expect(renderAuditLine({ ...base, action: 'granted', reason: 'Complimentary\n  access' })).toBe(
    `<t:1764079200:t> granted <@&${SAMPLE.roles.pro}> to <@${SAMPLE.users.ada}>: Complimentary access (grant:12)`,
  );
  expect(renderAuditLine({ ...base, action: 'revoked', reason: 'Refund' })).toMatch(/^<t:1764079200:t> revoked <@&\d+> from <@\d+>: Refund \(grant:12\)$/);
});

it('posts a busy hour (30 changes) as one message that pings nobody, and each line only once', async () => {
  const rows = await auditRows(30);
  expect(await flushAudit(t.db, { ownerChannelId: OWNERS, now: clock.now() })).toEqual({ lines: 30, messages: 1 });
  expect(await flushAudit(t.db, { ownerChannelId: OWNERS, now: clock.now() })).toEqual({ lines: 0, messages: 0 });
  expect(await worker.drain()).toMatchObject({ applied: 1, failed: 0 });

  const sent = posts();
  expect(sent).toHaveLength(1);
  const body = bodyOf(sent[0]!);
  expect(body.allowed_mentions.parse).toEqual([]);
  expect(body.embeds[0]!.title).toBe('Role changes');
  const lines = body.embeds.flatMap((e) => e.description.split('\n'));
  expect(lines).toEqual(rows.map(renderAuditLine));
  expect(lines[0]).toBe(`<t:${HOUR / 1000}:t> granted <@&${roles[0]}> to <@${users[0]}>: Stripe: subscription active (stripe:evt_1QxYz0000000000000000000)`);
  expect((sent[0]!.response as { mentions: unknown[] }).mentions).toEqual([]);
  const audit = await t.db.selectFrom('role_audit').select('posted_at').execute();
  expect(audit.every((a) => a.posted_at === clock.ms)).toBe(true);
  expect(await t.db.selectFrom('outbox').select(['dedupe_key', 'status']).execute()).toEqual([{ dedupe_key: 'audit:1-30', status: 'done' }]);
});

it('splits only when Discord’s limits require it, keeping every line once and in order', async () => {
  const rows = await auditRows(150, (i) => `Stripe: subscription updated, tier changed (${'x'.repeat(i % 40)})`);
  const { lines, messages } = await flushAudit(t.db, { ownerChannelId: OWNERS, now: clock.now() });
  expect(lines).toBe(150);
  expect(messages).toBeGreaterThan(1);
  expect(await worker.drain()).toMatchObject({ applied: messages, failed: 0 });

  const bodies = posts().map(bodyOf);
  expect(bodies).toHaveLength(messages);
  for (const body of bodies) {
    expect(body.embeds.length).toBeLessThanOrEqual(10);
    expect(body.embeds.every((e) => e.description.length <= 4096)).toBe(true);
    expect(body.embeds.reduce((n, e) => n + e.description.length + (e.title?.length ?? 0), 0)).toBeLessThanOrEqual(6000);
  }
  // Not split needlessly: the next message's first line would not have fitted in the one before.
  const size = (b: ReturnType<typeof bodyOf>) => b.embeds.reduce((n, e) => n + e.description.length + (e.title?.length ?? 0), 0);
  for (let k = 0; k + 1 < bodies.length; k++) {
    expect(size(bodies[k]!) + bodies[k + 1]!.embeds[0]!.description.split('\n')[0]!.length).toBeGreaterThan(6000);
  }
  expect(bodies.flatMap((b) => b.embeds.flatMap((e) => e.description.split('\n')))).toEqual(rows.map(renderAuditLine));
  const keys = (await t.db.selectFrom('outbox').select('dedupe_key').orderBy('id').execute()).map((r) => r.dedupe_key!);
  expect(keys[0]).toMatch(/^audit:1-\d+$/);
  expect(keys.at(-1)).toMatch(/^audit:\d+-150$/);
});
