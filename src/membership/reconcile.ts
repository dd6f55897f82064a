import type { REST } from 'discord.js';
import type Stripe from 'stripe';
import type { Clock } from '../discord/command.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logging/logger.ts';
import type { Policy } from './entitlement.ts';
import { absentPages, approximateMemberCount, beginSeen, collectAbsent, endSeen, guildMemberPages, markSeen } from './reconcile-guild.ts';
import { reconcileBatch, zeroCounts, type Observed } from './reconcile-members.ts';
import { refreshSubscriptions } from './reconcile-subscriptions.ts';
import { retryBusy } from './reconcile-tx.ts';
import type { Tiers } from './tiers.ts';

export interface ReconcileDeps {
  db: Db;
  stripe: Stripe;
  /** `client.rest` in the bot, a bare REST in `npm run reconcile`: only GET is used. */
  rest: Pick<REST, 'get'>;
  guildId: string;
  tiers: Tiers;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  /** Wakes the outbox worker after each committed page (the bot passes deps.outbox). */
  outbox?: { kick(): void };
  onProgress?: (progress: ReconcileProgress) => void;
}

export type ReconcileProgress =
  | { phase: 'subscriptions'; done: number }
  | { phase: 'members'; done: number; total: number | null }
  | { phase: 'absent'; done: number; total: number };

export interface ReconcileSummary {
  /** Subscriptions listed from Stripe (every status). */
  subscriptions: number;
  /** Guild members listed from Discord. */
  members: number;
  /** People re-decided: the guild's members plus those with a payment or grant who are not in it. */
  checked: number;
  /** Role adds queued for members in the server. */
  granted: number;
  /** Role removes queued. */
  revoked: number;
  /** Role adds queued for people not in the server; applied when they join. */
  pending: number;
  /** Differences already covered by a change queued earlier (nothing new was queued for them). */
  alreadyQueued: number;
  /** Subscriptions that could not be attributed to a member or stored; each is logged. */
  failed: number;
  durationMs: number;
}

/**
 * Heals whatever events missed. Refreshes every subscription from Stripe's list endpoint
 * (status=all, 100 per page, one transaction per page), then walks the guild's members over REST
 * (1000 per page) and queues the difference between each member's ACTUAL managed roles and what
 * their payments and grants entitle them to, then does the same for paying people not in the
 * guild. Memory stays at one page whatever the size of the community.
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileSummary> {
  const started = performance.now();
  const { db, clock, tiers, policy } = deps;
  const progress = deps.onProgress ?? (() => undefined);
  const refreshed = await refreshSubscriptions(deps, (done) => progress({ phase: 'subscriptions', done }));
  const counts = zeroCounts();
  const decideBatch = async (batch: Observed[], observedAt: number | null) => {
    // Counted into a copy first, so a transaction retried after SQLITE_BUSY is not counted twice.
    const page = await retryBusy(() =>
      db.transaction().execute(async (trx) => {
        const pageCounts = zeroCounts();
        if (observedAt !== null) await markSeen(trx, batch.map((m) => m.userId));
        await reconcileBatch(trx, batch, { tiers, policy, now: clock.now(), observedAt }, pageCounts);
        return pageCounts;
      }),
    );
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += page[key];
    deps.outbox?.kick();
  };

  let members = 0;
  const total = deps.onProgress ? await approximateMemberCount(deps.rest, deps.guildId) : null;
  await beginSeen(db);
  try {
    progress({ phase: 'members', done: 0, total });
    for await (const page of guildMemberPages(deps.rest, deps.guildId, () => clock.now())) {
      await decideBatch(page.members, page.observedAt);
      members += page.members.length;
      progress({ phase: 'members', done: members, total });
    }
    const absent = await collectAbsent(db);
    let done = 0;
    for await (const batch of absentPages(db)) {
      await decideBatch(batch, null);
      done += batch.length;
      progress({ phase: 'absent', done, total: absent });
    }
  } finally {
    await endSeen(db);
  }
  const summary: ReconcileSummary = { subscriptions: refreshed.listed, members, ...counts, failed: refreshed.failed, durationMs: Math.round(performance.now() - started) };
  deps.logger.info({ reconcile: summary, guildId: deps.guildId }, 'reconciliation finished');
  return summary;
}

/** One line for people: the CLI prints it, the cron job can log it. */
export function describeSummary(s: ReconcileSummary): string {
  return (
    `Reconciled ${s.subscriptions} subscriptions and ${s.members} members: checked ${s.checked}, ` +
    `granted ${s.granted}, revoked ${s.revoked}, pending ${s.pending} (not in the server), ` +
    `already queued ${s.alreadyQueued}, failed ${s.failed}, in ${(s.durationMs / 1000).toFixed(1)} s.`
  );
}
