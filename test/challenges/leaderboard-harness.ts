// Shared by the leaderboard and champion rig tests: the bot with challenges on, a held clock, the
// jobs as the lead's scheduler runs them, and points credited the way the challenge flow credits them.
import { Events, GatewayDispatchEvents } from 'discord.js';
import { createApp, type App } from '../../src/app.ts';
import { leaderboardJobs } from '../../src/challenges/leaderboard-jobs.ts';
import { forgetLeaderboardMessage } from '../../src/challenges/leaderboard-message.ts';
import type { PointsSource } from '../../src/db/schema.ts';
import { creditPoints } from '../../src/qa/points.ts';
import { syncPointsRollup } from '../../src/qa/points-rebuild.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { heldClock } from '../qa/thread-fixtures.ts';

export const CHANNEL = SAMPLE.channels.challenges;
type HeldClock = ReturnType<typeof heldClock>;

export async function startLeaderboardRig(opts: { timeZone: string; champion?: boolean }): Promise<BotRig> {
  const rig = await startBotRig({
    background: false,
    clock: heldClock(),
    env: {
      CHALLENGE_CHANNEL_ID: CHANNEL,
      REPORT_TIMEZONE: opts.timeZone,
      ...(opts.champion ? { CHALLENGE_CHAMPION_ROLE_ID: SAMPLE.roles.champion } : {}),
    },
  });
  await startupSync(rig.app);
  return rig;
}

/** What the lead wires into app.start() (see the report); running it twice changes nothing. */
const startupSync = (app: App) => syncPointsRollup(app.db, app.deps.config.reportTimezone, Date.now());

/**
 * A new bot process over the same database and the same Discord: stops the rig's app and starts
 * another. The caller stops the returned app before rig.stop().
 */
export async function restartApp(rig: BotRig): Promise<App> {
  await rig.app.stop();
  const app = await createApp(rig.config, { logger: rig.logs.logger, clock: heldClock(), background: false });
  await app.start();
  await startupSync(app);
  return app;
}

/** The raw MESSAGE_DELETE listener, attached here while app.ts does not wire it itself. */
export function listenForDeletes(app: App): void {
  const { client, db } = app;
  const { logger } = app.deps;
  if (client.ws.listenerCount(GatewayDispatchEvents.MessageDelete) > 0 || client.listenerCount(Events.MessageDelete) > 0) return;
  client.ws.on(GatewayDispatchEvents.MessageDelete, (data: { id: string; channel_id: string }) => {
    forgetLeaderboardMessage(db, data.channel_id, data.id).catch((err: unknown) => logger.error({ err }, 'test: could not forget a deleted message'));
  });
}

/** Runs one job by name at a chosen moment, as the scheduler would. */
export function runJob(app: App, name: 'challenge-leaderboard' | 'challenge-champion', now: number): Promise<unknown> {
  const job = leaderboardJobs(app.deps, app.client.rest).find((j) => j.name === name);
  if (!job) throw new Error(`no ${name} job (is CHALLENGE_CHAMPION_ROLE_ID set?)`);
  return (app.deps.clock as HeldClock).at(now, () => job.run());
}

/** Applies what the outbox holds at a chosen moment (the rig runs without background workers). */
export function deliverAt(app: App, now: number): Promise<unknown> {
  return (app.deps.clock as HeldClock).at(now, () => app.membership.outbox.drain());
}

let refs = 0;
/** Points as the challenge flow credits them: the accepted entry's time, a ref of its own. */
export function credit(app: App, memberId: string, amount: number, at: number, source: PointsSource = 'challenge'): Promise<boolean> {
  return creditPoints(app.db, { memberId, amount, source, ref: `test:${++refs}`, at });
}

export const at = (iso: string) => Date.parse(iso);
