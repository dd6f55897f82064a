import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Client, Events, GatewayDispatchEvents, Status, type Interaction } from 'discord.js';
import type { Config } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import type { Clock, CommandRegistry, Deps } from './discord/command.ts';
import { COMMANDS_DIR, loadCommands } from './discord/command-loader.ts';
import { discordClientOptions } from './discord/client.ts';
import { createDispatcher } from './discord/dispatcher.ts';
import { registerGuildCommands } from './discord/register.ts';
import { healthz } from './http/healthz.ts';
import { startHttpServer, type HttpListener } from './http/server.ts';
import type { Logger } from './logging/logger.ts';
import { createStripeClient } from './membership/stripe-client.ts';
import { stripeWebhookRoute } from './membership/stripe-webhook.ts';
import { loadTiers } from './membership/tiers.ts';
import { handleThreadDeleted, handleThreadMessage } from './qa/answers.ts';
import { syncForumTags } from './qa/forum-tags.ts';
import { loadQaSetup } from './qa/qa-config.ts';
import { createMembershipRuntime, type MembershipRuntime } from './membership/runtime.ts';
import { scheduleJobs, type Scheduler } from './jobs/scheduler.ts';
import { attachActivityCapture } from './activity/attach.ts';
import { createActivityCapture } from './activity/capture.ts';
import { challengeSetup } from './challenges/challenge-config.ts';
import { loadPostsSetup } from './posts/posts-config.ts';
import { loadReputationSetup } from './reputation/reputation-config.ts';
import { forgetLeaderboardMessage } from './challenges/leaderboard-message.ts';
import { syncPointsRollup } from './qa/points-rebuild.ts';
import { listenForPostReactions } from './reputation/post-reactions.ts';
import { createComputeDigest } from './reports/compute-digest.ts';
import { catchUpDigest } from './reports/digest-job.ts';
import { featureJobs } from './jobs/feature-jobs.ts';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface AppOptions {
  logger: Logger;
  clock?: Clock;
  /** Tests point this at a folder of their own command files. */
  commandsDir?: string;
  /**
   * Event processing, the outbox worker and scheduled jobs (default on). Tests that drive those
   * pieces themselves, with their own clock, turn them off so two workers never race.
   */
  background?: boolean;
}

export interface StartupTimings {
  migrationsMs: number;
  loginMs: number;
  registerMs: number;
  totalMs: number;
}

export interface App {
  readonly db: Db;
  readonly client: Client;
  readonly deps: Deps;
  readonly membership: MembershipRuntime;
  http: HttpListener | undefined;
  start(): Promise<StartupTimings>;
  /** Idempotent: stop accepting HTTP, finish in-flight work, disconnect, close the database. */
  stop(): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };

export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const commands: CommandRegistry = await loadCommands(options.commandsDir ?? COMMANDS_DIR);
  const tiers = await loadTiers(config.tiersFile);
  const qa = await loadQaSetup(config.qaChannelId, config.qaFile, tiers.list.map((t) => t.name));
  const challenges = challengeSetup(config);
  const posts = await loadPostsSetup(config.contentChannelId, config.modChannelId, config.contentFile, tiers.list.map((t) => t.name));
  const reputation = await loadReputationSetup(config.reputationFile, [...tiers.managedRoleIds]);
  const db = openDatabase(config.databasePath);
  const client = new Client(discordClientOptions(config));
  const stripe = createStripeClient(config);
  const policy = { gracePeriodMs: config.gracePeriodHours * 3_600_000 };
  const otherRoleIds = [...reputation.rewardRoles.map((r) => r.roleId), ...(challenges?.championRoleId ? [challenges.championRoleId] : [])];
  const membership = createMembershipRuntime({ config, db, client, stripe, tiers, otherRoleIds, policy, logger, clock });
  const background = options.background ?? true;
  const activity = createActivityCapture({ db, clock, logger: logger.child({ feature: 'activity' }) });
  const deps: Deps = {
    config,
    db,
    logger,
    clock,
    commands,
    about: { version: VERSION, startedAt: clock.now() },
    tiers,
    policy,
    stripe,
    qa,
    outbox: { kick: membership.kickOutbox },
    challenges,
    posts,
    reputation,
    activity,
    reports: { compute: createComputeDigest(db, tiers, policy) },
  };
  const gatewayReady = () => client.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready);

  const dispatch = createDispatcher(deps);
  // Tracked so shutdown can let a member's in-flight command finish instead of cutting it off.
  const inFlight = new Set<Promise<void>>();
  const onInteraction = (interaction: Interaction) => {
    const work = dispatch(interaction).finally(() => inFlight.delete(work));
    inFlight.add(work);
  };
  client.on(Events.InteractionCreate, onInteraction);
  // Before login, so the first GUILD_CREATE (who is in voice right now) is seen.
  attachActivityCapture(client, activity, { guildId: config.guildId });
  // Readers of a published post: reactions on its message count (bots ignored).
  if (posts) listenForPostReactions(client, deps);
  client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event) => logger.warn({ code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, () => logger.info('gateway resumed'));
  if (qa) {
    // Q&A answers: who wrote in a question thread and when (metadata only).
    client.on(Events.MessageCreate, (message) => {
      if (message.guildId !== config.guildId) return;
      handleThreadMessage(deps, message).catch((err: unknown) => logger.error({ err, messageId: message.id, channelId: message.channelId }, 'Q&A: could not record a thread message'));
    });
    // The raw dispatch, not Events.ThreadDelete: discord.js fires that only for threads still cached.
    client.ws.on(GatewayDispatchEvents.ThreadDelete, (data: { id: string; guild_id?: string }) => {
      if (data.guild_id !== config.guildId) return;
      handleThreadDeleted(deps, data.id).catch((err: unknown) => logger.error({ err, threadId: data.id }, 'Q&A: could not record a deleted thread'));
    });
  }
  if (challenges) {
    // The raw dispatch: the leaderboard message is usually not cached. A deleted board is posted again.
    client.ws.on(GatewayDispatchEvents.MessageDelete, (data: { id: string; channel_id: string; guild_id?: string }) => {
      if (data.guild_id !== config.guildId || data.channel_id !== challenges.channelId) return;
      forgetLeaderboardMessage(db, data.channel_id, data.id).catch((err: unknown) => logger.error({ err, messageId: data.id }, 'leaderboard: could not forget a deleted message'));
    });
  }
  // Role changes that met "Unknown Member" wait for the member to join, then apply.
  client.on(Events.GuildMemberAdd, (member) => {
    if (member.guild.id !== config.guildId) return;
    membership.outbox.memberJoined(member.id).catch((err: unknown) => logger.error({ err, userId: member.id }, 'could not release waiting role changes'));
  });

  let stopping: Promise<void> | undefined;
  let scheduler: Scheduler | undefined;
  const app: App = {
    db,
    client,
    deps,
    membership,
    http: undefined,
    async start() {
      const t0 = performance.now();
      await migrate(db);
      // Before anything can credit points: the monthly rollup follows REPORT_TIMEZONE and the ledger.
      const rollup = await syncPointsRollup(db, config.reportTimezone, clock.now());
      if (rollup.rebuilt) logger.info({ rollup }, 'points rollup rebuilt');
      const t1 = performance.now();
      // Events recorded but not processed before a crash are applied now; their role changes wait for login.
      if (background) membership.events.start();
      // Listen before login so /healthz answers 503 (not "connection refused") while connecting.
      app.http = await startHttpServer(
        {
          'GET /healthz': () => healthz(db, gatewayReady),
          'POST /stripe/webhook': stripeWebhookRoute({ db, stripe, webhookSecret: config.stripeWebhookSecret, logger, clock, onRecorded: () => background && membership.events.kick() }),
        },
        config.httpPort,
        logger,
      );
      const ready = once(client, Events.ClientReady);
      await client.login(config.discordToken);
      await ready;
      const t2 = performance.now();
      if (!client.guilds.cache.has(config.guildId)) {
        logger.error({ guildId: config.guildId }, 'the bot is not in DISCORD_GUILD_ID: invite it with the URL from the README, then restart');
      }
      const registered = await registerGuildCommands(client.rest, client.application!.id, config.guildId, commands);
      if (qa) {
        // Tags only help filtering: without them questions still post, so a failure is logged, not fatal.
        await syncForumTags(client.rest, qa, logger).catch((err: unknown) =>
          logger.error({ err, channelId: qa.channelId }, 'could not create the Q&A forum tags: give the bot Manage Channels on the forum, then restart'),
        );
      }
      const t3 = performance.now();
      if (background) {
        membership.startOutbox();
        const digestPorts = { db, compute: deps.reports.compute, config, clock, logger: logger.child({ feature: 'digest' }), outbox: { kick: membership.kickOutbox } };
        scheduler = scheduleJobs(featureJobs(deps, client.rest, membership, digestPorts), logger);
        // A week missed while the bot was down is posted now; a failure waits for the hourly retry.
        await catchUpDigest(digestPorts).then(
          (r) => logger.info({ digest: r.status }, 'digest catch-up'),
          (err: unknown) => logger.error({ err }, 'digest catch-up failed; the hourly retry tries again'),
        );
      }
      const timings = { migrationsMs: t1 - t0, loginMs: t2 - t1, registerMs: t3 - t2, totalMs: t3 - t0 };
      logger.info({ startup: timings, commands: registered.length, user: client.user?.tag, httpPort: app.http.port }, 'guildhall is ready');
      return timings;
    },
    stop() {
      stopping ??= (async () => {
        await app.http?.close();
        client.off(Events.InteractionCreate, onInteraction);
        await Promise.race([Promise.allSettled(inFlight), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
        await scheduler?.stop();
        await membership.stop();
        await client.destroy();
        // After the gateway is gone (nothing more arrives), before the database closes.
        await activity.stop();
        await db.destroy();
        logger.info('guildhall stopped');
      })();
      return stopping;
    },
  };
  return app;
}
