import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { progressBar } from '../../src/membership/progress.ts';
import { createOutboxWorker } from '../../src/membership/outbox-worker.ts';
import { reconcile, type ReconcileDeps } from '../../src/membership/reconcile.ts';
import { storeSubscriptionPage } from '../../src/membership/reconcile-subscription-page.ts';
import { parseTiers } from '../../src/membership/tiers.ts';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator } from '../../src/sandbox/discord/index.ts';
import { startStripeEmulator } from '../../src/sandbox/stripe/index.ts';
import { SANDBOX_PRICES, SANDBOX_STRIPE_PRICES, SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { createContractRecorder, discordContractAvailable, loadDiscordContract } from '../rigs/discord-contract.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { TEST_SECRETS, testEnv } from '../rigs/env.ts';
import { describeWithShared } from '../rigs/shared.ts';
import { STRIPE_FIXTURES, subscriptionFixture } from '../rigs/stripe.ts';

const R = SAMPLE.roles; // member = Supporter, pro = Pro, founder = Founder; moderator and admin are not managed
const user = (n: number) => ({ id: `13000000000000006${String(n).padStart(2, '0')}`, username: `user${n}` });
const [carol, dave, erin, frank, gina, hank, ivan] = [user(1), user(2), user(3), user(4), user(5), user(6), user(7)];

// Reconciliation writes into a database of its own (not the app's), so the bot's own outbox worker,
// once wired, never applies these rows behind the test's back; the test runs the real worker itself.
interface Setup {
  rig: BotRig;
  db: Db;
}

function runReconcile({ rig, db }: Setup, overrides: Partial<ReconcileDeps> = {}) {
  const { deps, client } = rig.app;
  return reconcile({ db, stripe: deps.stripe, rest: client.rest, guildId: SAMPLE.guildId, tiers: deps.tiers, policy: deps.policy, clock: deps.clock, logger: rig.logs.logger, ...overrides });
}

const queuedOps = ({ db }: Setup) =>
  db.selectFrom('outbox').select(['id', 'discord_user_id', 'role_id', 'kind', 'status', 'source', 'reason']).where('kind', '!=', 'message').orderBy('id').execute();
const live = async (s: Setup) => (await queuedOps(s)).filter((o) => o.status === 'pending' || o.status === 'waiting_member');
const opsOf = async (s: Setup, userId: string) => (await live(s)).filter((o) => o.discord_user_id === userId).map((o) => `${o.kind} ${o.role_id}`);

describe('reconcile() against the real bot, Stripe and Discord emulators', () => {
  let rig: BotRig;
  let t: TestDatabase;
  let s: Setup;
  const started = Date.now();
  beforeAll(async () => {
    rig = await startBotRig();
    t = await freshDatabase();
    s = { rig, db: t.db };
    const sub = (priceId: string, userId: string | null, status: 'active' | 'past_due' | 'canceled' = 'active') =>
      rig.stripe.seedSubscription({ priceId, status, metadata: userId ? { discord_user_id: userId } : {} });
    // ada holds Supporter (the sample guild gives it to her) but never paid: a role added by hand.
    await rig.discord.addMember(carol, { roles: [] }); // pays Pro; the role was removed by hand
    sub(SANDBOX_PRICES.pro, carol.id);
    await rig.discord.addMember(dave, { roles: [R.moderator, R.founder] }); // Founder by hand; Moderator is not ours
    await rig.discord.addMember(erin, { roles: [R.member] }); // complimentary Supporter
    await t.db.insertInto('grants').values({ discord_user_id: erin.id, tier_name: 'Supporter', until: null, granted_by: SAMPLE.ownerId, reason: 'speaker', created_at: started, revoked_at: null, revoked_by: null }).execute();
    sub(SANDBOX_PRICES.supporter, frank.id); // pays but is not in the server
    await rig.discord.addMember(gina, { roles: [R.pro] }); // pays Pro and holds it: nothing to do
    sub(SANDBOX_PRICES.pro, gina.id);
    await rig.discord.addMember(hank, { roles: [] }); // past due, inside the grace period: still entitled
    sub(SANDBOX_PRICES.supporter, hank.id, 'past_due');
    await rig.discord.addMember(ivan, { roles: [] }); // his add waited for a join that has happened
    sub(SANDBOX_PRICES.pro, ivan.id);
    sub(SANDBOX_PRICES.pro, null); // a live Pro subscription nobody can be attributed to
    sub(SANDBOX_PRICES.pro, null, 'canceled'); // an old unattributed one: not a failure
    const op = (userId: string, roleId: string, kind: 'role_add' | 'role_remove', status: 'pending' | 'waiting_member', createdAt = started) => ({
      kind, discord_user_id: userId, role_id: roleId, payload: '{}', dedupe_key: null, status, next_attempt_at: started, last_error: null, reason: 'earlier', source: 'stripe:evt_old', created_at: createdAt, done_at: null,
    });
    await t.db.insertInto('outbox').values([
      op(gina.id, R.pro, 'role_remove', 'pending'), // stale: would undo a paid role
      op(ivan.id, R.pro, 'role_add', 'waiting_member'),
      // Queued after Discord listed the members (a webhook racing the run): the list may predate
      // what it follows, so reconciliation must not supersede it even though it looks redundant.
      op(erin.id, R.member, 'role_add', 'pending', started + 3_600_000),
    ]).execute();
  });
  afterAll(async () => {
    await t?.cleanup();
    await rig?.stop();
  });

  it('refreshes the subscriptions, queues the actual-role diff, and sums it up', async () => {
    const before = Date.now();
    const phases = new Set<string>();
    const summary = await runReconcile(s, { onProgress: (p) => phases.add(p.phase) });
    const guildSize = rig.discord.state.members.size;
    expect(summary).toMatchObject({ subscriptions: 7, members: guildSize, checked: guildSize + 1, granted: 3, revoked: 2, pending: 1, alreadyQueued: 0, failed: 1 });
    expect([...phases]).toEqual(['subscriptions', 'members', 'absent']);

    expect(await opsOf(s, SAMPLE.users.ada)).toEqual([`role_remove ${R.member}`]); // added by hand, explained by nothing
    expect(await opsOf(s, carol.id)).toEqual([`role_add ${R.pro}`]); // removed by hand, restored
    expect(await opsOf(s, dave.id)).toEqual([`role_remove ${R.founder}`]); // Moderator never touched
    expect(await opsOf(s, erin.id)).toEqual([`role_add ${R.member}`]); // the grant explains her role: nothing queued, the racing add left alone
    expect(await opsOf(s, frank.id)).toEqual([`role_add ${R.member}`]); // pending until he joins
    expect(await opsOf(s, gina.id)).toEqual([]); // the stale remove would have undone a paid role
    expect(await opsOf(s, hank.id)).toEqual([`role_add ${R.member}`]);
    expect(await opsOf(s, ivan.id)).toEqual([`role_add ${R.pro}`]);
    const all = await queuedOps(s);
    expect(all.find((o) => o.discord_user_id === gina.id)?.status).toBe('superseded');
    expect(all.filter((o) => o.discord_user_id === ivan.id).map((o) => o.status)).toEqual(['superseded', 'pending']);
    expect(all.filter((o) => o.source === 'reconcile').every((o) => o.reason.startsWith('reconciliation: '))).toBe(true);

    const rows = await t.db.selectFrom('subscriptions').selectAll().execute();
    expect(rows).toHaveLength(7);
    expect(rows.filter((r) => r.discord_user_id === null)).toHaveLength(2);
    const hankRow = rows.find((r) => r.discord_user_id === hank.id)!;
    expect(hankRow.status).toBe('past_due');
    expect(hankRow.past_due_since).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1); // first seen past due by this run
    const links = await t.db.selectFrom('customers').selectAll().where('source', '=', 'reconcile').execute();
    expect(links.map((l) => l.discord_user_id).sort()).toEqual([carol.id, frank.id, gina.id, hank.id, ivan.id].sort());
    const decisions = await t.db.selectFrom('entitlements').selectAll().execute();
    expect(Object.fromEntries(decisions.map((d) => [d.discord_user_id, d.tier_name]))).toEqual({
      [carol.id]: 'Pro', [erin.id]: 'Supporter', [frank.id]: 'Supporter', [gina.id]: 'Pro', [hank.id]: 'Supporter', [ivan.id]: 'Pro',
    });
    const logged = rig.logs.entries().find((e) => e.msg === 'reconciliation finished');
    expect(logged).toMatchObject({ level: 30, reconcile: { granted: 3, revoked: 2, pending: 1, failed: 1 } });
    expect(rig.logs.entries().some((e) => e.msg === 'reconcile: a subscription could not be attributed or stored' && e.level === 40)).toBe(true);
  });

  it('queues nothing new on a second run while the first run’s changes still wait for the worker', async () => {
    const before = await queuedOps(s);
    const summary = await runReconcile(s);
    expect(summary).toMatchObject({ granted: 0, revoked: 0, pending: 0, alreadyQueued: 6 }); // erin's add is not a difference
    expect(await queuedOps(s)).toEqual(before); // neither duplicated nor superseded
  });

  it('queues nothing once the changes are applied, and keeps the absent payer’s add waiting', async () => {
    // The real outbox worker applies them through the bot's discord.js client; frank meets 10007.
    const worker = createOutboxWorker({ db: t.db, client: rig.app.client, guildId: SAMPLE.guildId, ownerChannelId: SAMPLE.channels.owners, tiers: rig.app.deps.tiers, logger: rig.logs.logger, clock: rig.app.deps.clock });
    expect(await worker.drain()).toMatchObject({ applied: 6, waiting: 1, failed: 0 }); // erin's add is idempotent
    await worker.stop();
    expect(rig.discord.state.roleIdsOf(carol.id)).toEqual([R.pro]);
    const count = (await queuedOps(s)).length;
    const summary = await runReconcile(s);
    expect(summary).toMatchObject({ granted: 0, revoked: 0, pending: 0, alreadyQueued: 1 });
    expect(await queuedOps(s)).toHaveLength(count);
    expect(rig.discord.state.roleIdsOf(dave.id)).toEqual([R.moderator]);
  });

  it('revokes when the payment ends, and stops waiting for someone who no longer pays', async () => {
    for (const s of rig.stripe.store.subscriptions.values()) {
      if (s.metadata.discord_user_id === carol.id || s.metadata.discord_user_id === frank.id) Object.assign(s, { status: 'canceled', ended_at: Math.floor(Date.now() / 1000) - 1 });
    }
    const summary = await runReconcile(s);
    expect(summary).toMatchObject({ granted: 0, revoked: 1, pending: 0, alreadyQueued: 0 });
    expect(await opsOf(s, carol.id)).toEqual([`role_remove ${R.pro}`]);
    expect(await opsOf(s, frank.id)).toEqual([]); // his waiting add was superseded, nothing queued
  });

  it('never overwrites state a webhook stored from an event of the same second as the fetch', async () => {
    const eventAt = Math.floor(Date.now() / 1000) * 1000; // event.created × 1000: whole seconds
    await t.db.updateTable('subscriptions').set({ status: 'canceled', ended_at: eventAt, state_at: eventAt }).where('discord_user_id', '=', gina.id).execute();
    // The list is fetched 400 ms into that second: Stripe's answer may predate the event.
    const summary = await runReconcile(s, { clock: { now: () => eventAt + 400 } });
    const row = await t.db.selectFrom('subscriptions').selectAll().where('discord_user_id', '=', gina.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'canceled', state_at: eventAt });
    expect(summary).toMatchObject({ revoked: 1, granted: 0 });
    expect(await opsOf(s, gina.id)).toEqual([`role_remove ${R.pro}`]);
  });
});

describe('reconcile() over 250 subscriptions', () => {
  let rig: BotRig;
  let t: TestDatabase;
  beforeAll(async () => {
    rig = await startBotRig();
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t?.cleanup();
    await rig?.stop();
  });

  it('lists them in exactly 3 requests of 100 with status=all and stores every one', async () => {
    for (let i = 0; i < 250; i++) rig.stripe.seedSubscription({ priceId: SANDBOX_PRICES.supporter, metadata: { discord_user_id: `14000000000000${String(i).padStart(5, '0')}` } });
    const pages: number[] = [];
    const summary = await runReconcile({ rig, db: t.db }, { onProgress: (p) => p.phase === 'subscriptions' && pages.push(p.done) });
    const lists = rig.stripe.requests.filter((r) => r.method === 'GET' && r.path === '/v1/subscriptions');
    expect(lists).toHaveLength(3);
    expect(lists.every((r) => r.query.limit === '100' && r.query.status === 'all')).toBe(true);
    expect(lists.map((r) => r.query.starting_after !== undefined)).toEqual([false, true, true]);
    expect(rig.stripe.requests.some((r) => r.path.includes('/search'))).toBe(false);
    expect(pages).toEqual([100, 200, 250]);
    const stored = await t.db.selectFrom('subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(stored.n).toBe(250);
    // Nobody of the 250 is in the sample guild: each gets a pending add; ada's unexplained role goes.
    expect(summary).toMatchObject({ subscriptions: 250, pending: 250, granted: 0, revoked: 1, failed: 0, checked: rig.discord.state.members.size + 250 });
  });
});

describeWithShared('storeSubscriptionPage: the mapper rules for fetched state', STRIPE_FIXTURES, () => {
  const tiers = parseTiers(SANDBOX_TIERS);
  const who = SAMPLE.users.ada;

  it('never overwrites newer state, keeps the past_due stamp, and attributes by metadata or the customer link', async () => {
    const { db, cleanup } = await freshDatabase();
    try {
      const row = (id: string) => db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const pastDue = subscriptionFixture({ status: 'past_due', priceIds: [SANDBOX_PRICES.pro], metadata: { discord_user_id: who } });
      await storeSubscriptionPage(db, [pastDue], 1_000, tiers);
      expect(await row(pastDue.id)).toMatchObject({ status: 'past_due', past_due_since: 1_000, state_at: 1_000, discord_user_id: who, price_ids: JSON.stringify([SANDBOX_PRICES.pro]) });
      await storeSubscriptionPage(db, [pastDue], 2_000, tiers);
      expect(await row(pastDue.id)).toMatchObject({ past_due_since: 1_000, state_at: 2_000 }); // the grace period does not restart

      // A webhook stored a newer state (event.created after our fetch): the fetch must not win.
      await db.updateTable('subscriptions').set({ status: 'canceled', state_at: 9_000 }).where('id', '=', pastDue.id).execute();
      await storeSubscriptionPage(db, [pastDue], 3_000, tiers);
      expect(await row(pastDue.id)).toMatchObject({ status: 'canceled', state_at: 9_000 });

      // No metadata: the customer's link (here made by the first page) attributes the subscription.
      const sameCustomer = subscriptionFixture({ customer: pastDue.customer as string, priceIds: [SANDBOX_PRICES.supporter] });
      const stranger = subscriptionFixture({ priceIds: [SANDBOX_PRICES.supporter] });
      const otherProduct = subscriptionFixture({ priceIds: ['price_not_a_tier'] });
      const { failures } = await storeSubscriptionPage(db, [sameCustomer, stranger, otherProduct], 4_000, tiers);
      expect((await row(sameCustomer.id)).discord_user_id).toBe(who);
      expect((await row(stranger.id)).discord_user_id).toBeNull();
      expect(failures.map((f) => [f.id, f.matters])).toEqual([[stranger.id, true], [otherProduct.id, false]]);
    } finally {
      await cleanup();
    }
  });
});

describe('npm run reconcile', () => {
  const ROOT = path.resolve(import.meta.dirname, '../..');
  const run = promisify(execFile);

  it('reconciles against the emulators, prints the summary and exits 0; a bad Stripe key exits 1', { timeout: 60_000 }, async () => {
    const contract = discordContractAvailable() ? createContractRecorder(await loadDiscordContract()) : undefined;
    const discord = await startDiscordEmulator(sampleGuildOptions({ logger: () => undefined, onRequest: (r) => contract?.record({ method: r.method, path: r.path, query: r.query, body: r.body }) }));
    const stripe = await startStripeEmulator({ secretKey: TEST_SECRETS.STRIPE_SECRET_KEY, webhookSecret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET, prices: SANDBOX_STRIPE_PRICES });
    const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-reconcile-cli-'));
    try {
      writeFileSync(path.join(dir, 'tiers.json'), JSON.stringify(SANDBOX_TIERS));
      stripe.seedSubscription({ priceId: SANDBOX_PRICES.supporter, metadata: { discord_user_id: SAMPLE.users.ada } }); // holds it already
      stripe.seedSubscription({ priceId: SANDBOX_PRICES.pro, metadata: { discord_user_id: SAMPLE.users.brian } }); // lacks it
      const env = (overrides: Record<string, string> = {}) => ({
        PATH: process.env.PATH,
        ...testEnv({ DISCORD_TOKEN: SAMPLE.token, DISCORD_GUILD_ID: SAMPLE.guildId, DISCORD_API_URL: discord.apiUrl, STRIPE_API_URL: stripe.apiUrl, DATABASE_URL: path.join(dir, 'cli.sqlite'), TIERS_FILE: path.join(dir, 'tiers.json'), LOG_LEVEL: 'warn', ...overrides }),
      });
      const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
      const { stdout } = await run(tsx, ['src/membership/reconcile-cli.ts'], { cwd: ROOT, env: env(), timeout: 30_000 });
      expect(stdout).toMatch(/Reconciled 2 subscriptions and 7 members: checked 7, granted 1, revoked 0, pending 0 \(not in the server\), already queued 0, failed 0, in [\d.]+ s\./);
      expect(stdout).toContain('The running bot applies them');
      expect(stdout).not.toContain('\r'); // no progress bar when not in a terminal
      const db = openDatabase(path.join(dir, 'cli.sqlite'));
      const ops = await db.selectFrom('outbox').select(['discord_user_id', 'role_id', 'kind']).execute();
      await db.destroy();
      expect(ops).toEqual([{ discord_user_id: SAMPLE.users.brian, role_id: R.pro, kind: 'role_add' }]);

      const failed = await run(tsx, ['src/membership/reconcile-cli.ts'], { cwd: ROOT, env: env({ STRIPE_SECRET_KEY: 'sk_test_wrong_key_for_the_emulator' }), timeout: 30_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('Reconciliation failed:');
      contract?.assertClean();
    } finally {
      await Promise.all([discord.close(), stripe.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('progressBar', () => {
  const sink = () => {
    const chunks: string[] = [];
    return { chunks, stream: { write: (c: string) => chunks.push(c) > 0 } as unknown as NodeJS.WritableStream };
  };

  it('draws one line per phase in a terminal and leaves each phase’s final numbers', () => {
    const { chunks, stream } = sink();
    let t = 0;
    const bar = progressBar(stream, true, () => (t += 200));
    bar.update({ phase: 'subscriptions', done: 100 });
    bar.update({ phase: 'members', done: 500, total: 1000 });
    bar.update({ phase: 'members', done: 1000, total: 1000 });
    bar.done();
    const text = chunks.join('');
    expect(text).toContain('\rStripe subscriptions: 100\n'.replace('\r', '\r\x1b[2K'));
    expect(text).toContain('Guild members: [##############..............]  50% 500 / 1,000');
    expect(text.endsWith('Guild members: [############################] 100% 1,000 / 1,000\n')).toBe(true);
  });

  it('writes nothing when not in a terminal', () => {
    const { chunks, stream } = sink();
    const bar = progressBar(stream, false);
    bar.update({ phase: 'members', done: 1, total: 2 });
    bar.done();
    expect(chunks).toEqual([]);
  });
});
