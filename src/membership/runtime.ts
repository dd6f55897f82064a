import type { Client } from 'discord.js';
import type Stripe from 'stripe';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../discord/command.ts';
import { pruneUiState } from '../discord/ui-state.ts';
import type { Job } from '../jobs/scheduler.ts';
import type { Logger } from '../logging/logger.ts';
import { flushAudit } from './audit.ts';
import type { Policy } from './entitlement.ts';
import { createEventProcessor, type EventProcessor } from './event-processor.ts';
import { reviewExpiredEntitlements } from './expiry.ts';
import { createOutboxWorker, type OutboxWorker } from './outbox-worker.ts';
import { reconcile } from './reconcile.ts';
import type { Tiers } from './tiers.ts';

export interface MembershipRuntime {
  events: EventProcessor;
  outbox: OutboxWorker;
  /** Wakes the outbox worker once it runs; before login there is nobody to talk to yet. */
  kickOutbox(): void;
  jobs: Job[];
  /** After login: apply what was queued while the bot was down, then keep applying. */
  startOutbox(): void;
  stop(): Promise<void>;
}

interface RuntimeDeps {
  config: Config;
  db: Db;
  client: Client;
  stripe: Stripe;
  tiers: Tiers;
  /** Level reward and champion roles: applied through the same outbox as tier roles. */
  otherRoleIds?: readonly string[];
  policy: Policy;
  logger: Logger;
  clock: Clock;
}

/** The background parts of paid membership: event processing, the outbox worker, and their jobs. */
export function createMembershipRuntime(d: RuntimeDeps): MembershipRuntime {
  let outboxStarted = false;
  const kickOutbox = () => {
    if (outboxStarted) outbox.kick();
  };
  const outbox = createOutboxWorker({
    db: d.db,
    client: d.client,
    guildId: d.config.guildId,
    ownerChannelId: d.config.ownerChannelId,
    tiers: d.tiers,
    otherRoleIds: d.otherRoleIds,
    logger: d.logger.child({ feature: 'outbox' }),
    clock: d.clock,
  });
  const events = createEventProcessor({
    db: d.db,
    stripe: d.stripe,
    tiers: d.tiers,
    policy: d.policy,
    clock: d.clock,
    logger: d.logger.child({ feature: 'stripe-events' }),
    ownerChannelId: d.config.ownerChannelId,
    onCommitted: kickOutbox,
  });
  const jobs: Job[] = [
    // Events alone cannot end a grace period or a grant: nothing arrives when time runs out.
    { name: 'expiry', cron: '*/5 * * * *', run: () => reviewExpiredEntitlements({ db: d.db, tiers: d.tiers, policy: d.policy, clock: d.clock, onCommitted: kickOutbox }) },
    {
      name: 'audit',
      cron: d.config.auditCron,
      run: async () => {
        const result = await flushAudit(d.db, { ownerChannelId: d.config.ownerChannelId, now: d.clock.now() });
        kickOutbox();
        return result;
      },
    },
    {
      name: 'reconcile',
      cron: d.config.reconcileCron,
      run: () =>
        reconcile({ db: d.db, stripe: d.stripe, rest: d.client.rest, guildId: d.config.guildId, tiers: d.tiers, policy: d.policy, clock: d.clock, logger: d.logger.child({ feature: 'reconcile' }), outbox: { kick: kickOutbox } }),
    },
    { name: 'prune-ui-state', cron: '17 4 * * *', run: () => pruneUiState(d.db, d.clock.now()) },
  ];
  return {
    events,
    outbox,
    kickOutbox,
    jobs,
    startOutbox() {
      outboxStarted = true;
      outbox.start();
    },
    async stop() {
      await events.stop();
      await outbox.stop();
    },
  };
}
