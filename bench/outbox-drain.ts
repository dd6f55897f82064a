import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client, Events } from 'discord.js';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { discordClientOptions } from '../src/discord/client.ts';
import { createLogger } from '../src/logging/logger.ts';
import { enqueueRoleChange } from '../src/membership/outbox.ts';
import { createOutboxWorker } from '../src/membership/outbox-worker.ts';
import { parseTiers } from '../src/membership/tiers.ts';
import { SAMPLE, sampleGuildOptions, startDiscordEmulator, type RecordedRequest } from '../src/sandbox/discord/index.ts';
import { SANDBOX_TIERS } from '../src/sandbox/tiers.ts';
import { figure, type Figure } from './figures.ts';

// Discord's limits as the emulator enforces them: each bucket (method + route + major parameter;
// for role changes that is one PUT bucket and one DELETE bucket per guild) allows 10 per second,
// and 50 requests per second overall.
const PER_ROUTE = { limit: 10, windowMs: 1_000 };
const GLOBAL_PER_SECOND = 50;

/**
 * Drains `ops` role changes (half grants of Pro, half removals of Supporter, one pair per member)
 * through the real worker and discord.js against the rate-limited emulator.
 */
export async function benchOutboxDrain(options: { ops?: number } = {}): Promise<Figure[]> {
  const members = Math.ceil((options.ops ?? 600) / 2);
  const ids = Array.from({ length: members }, (_, i) => (1_400_000_000_000_000_000n + BigInt(i)).toString());
  const base = sampleGuildOptions();
  const discord = await startDiscordEmulator({
    ...base,
    members: [...(base.members ?? []), ...ids.map((id, i) => ({ user: { id, username: `member${i}` }, roles: [SAMPLE.roles.member] }))],
    rateLimits: { perRoute: PER_ROUTE, globalPerSecond: GLOBAL_PER_SECOND },
    logger: () => undefined,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-bench-outbox-'));
  const db = openDatabase(path.join(dir, 'bench.sqlite'));
  const client = new Client(discordClientOptions({ discordApiUrl: discord.apiUrl }));
  try {
    await migrate(db);
    const ready = once(client, Events.ClientReady);
    await client.login(SAMPLE.token);
    await ready;
    const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const clock = { now: () => Date.now() };
    const worker = createOutboxWorker({
      db, client, clock, guildId: SAMPLE.guildId, ownerChannelId: SAMPLE.channels.owners, tiers: parseTiers(SANDBOX_TIERS),
      logger: createLogger({ level: 'warn', secrets: [SAMPLE.token], destination: silent, pretty: false }),
    });
    await db.transaction().execute(async (trx) => {
      for (const userId of ids) {
        const common = { userId, reason: 'bench', source: 'bench', now: clock.now() };
        await enqueueRoleChange(trx, { ...common, roleId: SAMPLE.roles.pro, action: 'add' });
        await enqueueRoleChange(trx, { ...common, roleId: SAMPLE.roles.member, action: 'remove' });
      }
    });
    const mark = discord.requests.length;
    const t0 = performance.now();
    const result = await worker.drain();
    const seconds = (performance.now() - t0) / 1000;
    await worker.stop();
    const total = members * 2;
    if (result.applied !== total) throw new Error(`outbox bench: applied ${result.applied} of ${total} (${JSON.stringify(result)})`);

    const sent = discord.requests.slice(mark);
    const perBucket = new Map<string, number>();
    for (const r of sent) perBucket.set(bucketOf(r), (perBucket.get(bucketOf(r)) ?? 0) + 1);
    const limited = new Map<string, number>();
    for (const r of sent.filter((x) => x.status === 429)) limited.set(bucketOf(r), (limited.get(bucketOf(r)) ?? 0) + 1);
    const extra429s = [...limited.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);

    // The fastest any client could finish this workload under the enforced limits: a bucket's
    // first `limit` requests go at once, then `limit` more per window, so n requests need
    // ceil(n / limit) - 1 full windows; likewise for the global limit. Comparing against this (and
    // not the bare 20/s) removes the fencepost that would otherwise flatter the ratio.
    const bucketSeconds = Math.max(...[...perBucket.values()].map((n) => (Math.ceil(n / PER_ROUTE.limit) - 1) * (PER_ROUTE.windowMs / 1000)));
    const globalSeconds = Math.ceil(sent.length / GLOBAL_PER_SECOND) - 1;
    const ideal = total / Math.max(bucketSeconds, globalSeconds);
    const limitName = `enforced limit: ${perBucket.size} buckets × ${PER_ROUTE.limit}/${PER_ROUTE.windowMs / 1000} s, global ${GLOBAL_PER_SECOND}/s`;
    return [
      figure('outbox.drain_rate', [total / seconds], 'ops/s', limitName, [ideal]),
      figure('outbox.extra_429s', [extra429s], 'requests', 'requests sent', [sent.length]),
    ];
  } finally {
    await client.destroy();
    await db.destroy();
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Discord's bucket for a request: method + route, with only the major parameter (channel, guild, webhook) kept. */
function bucketOf(r: RecordedRequest): string {
  const route = r.path.replace(/(?<!\/(?:channels|guilds|webhooks))\/\d{17,20}/g, '/:id');
  return `${r.method} ${route}`;
}
