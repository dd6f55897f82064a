// A local Discord (REST under /api/v10 + gateway over ws) that the unchanged discord.js client can use.
// Point discord.js at it with `rest: { api: emulator.apiUrl }` (the bot: DISCORD_API_URL=emulator.apiUrl).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createActions, type MemberActions } from './actions.ts';
import type { EmulatorContext } from './context.ts';
import { FaultInjector, type FaultSpec } from './faults.ts';
import { createHistoryActions, type HistoryActions } from './history.ts';
import { Gateway } from './gateway.ts';
import { InteractionRegistry } from './interactions.ts';
import { RateLimiter } from './rate-limits.ts';
import { createRequestHandler } from './rest-server.ts';
import { appRoutes } from './routes-app.ts';
import { channelRoutes } from './routes-channels.ts';
import { guildRoutes } from './routes-guild.ts';
import { interactionCallbackRoutes } from './routes-interaction-callback.ts';
import { threadRoutes } from './routes-threads.ts';
import { webhookRoutes } from './routes-webhooks.ts';
import { EmulatorState } from './state.ts';
import type { DiscordEmulatorOptions, RecordedRequest } from './types.ts';

export type * from './types.ts';
export type { FaultSpec } from './faults.ts';
export type { HistoryActions, PastMessageInput } from './history.ts';
export type { RawChannel, RawMessage, RawRole, RawUser, MemberRecord } from './payloads.ts';
export { EmulatorState } from './state.ts';
export { Intent } from './gateway-events.ts';
export { SAMPLE, sampleGuildOptions } from './fixtures.ts';
export { SnowflakeGenerator, snowflakeTimestamp, DISCORD_EPOCH } from './snowflake.ts';

export interface DiscordEmulator extends MemberActions, HistoryActions {
  /** e.g. http://127.0.0.1:PORT/api — give it to discord.js's REST `api` option / DISCORD_API_URL. */
  apiUrl: string;
  gatewayUrl: string;
  /** Every REST request, in order, with its answer. */
  requests: RecordedRequest[];
  state: EmulatorState;
  /** 429s the emulator answered, per-route and global. */
  rateLimitCounts: { routeLimited: number; globalLimited: number };
  /** Heartbeats answered, RESUMEs accepted, INVALID_SESSIONs sent. */
  gatewayCounts: { heartbeats: number; resumes: number; invalidSessions: number };
  /** Resolves once a bot session is identified (READY + GUILD_CREATE sent) or resumed. */
  waitForReady(timeoutMs?: number): Promise<void>;
  /** Polls `predicate` every 10 ms until it returns something truthy. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** The DM channel id with a user (created if needed), for postMessage from a member's DMs. */
  dmChannelId(userId: string): string;
  /** Closes the bot's socket. Codes 4000-4009 make discord.js resume, 1000 makes it identify again.
   *  `forgetSessions` makes a RESUME fail with INVALID_SESSION, so the client re-identifies. */
  dropConnection(code?: number, opts?: { forgetSessions?: boolean }): void;
  /** Sends op 1: the client must heartbeat at once. */
  requestHeartbeat(): void;
  /** While closed, messages to the user's DM channel fail with 403, code 50007. */
  setDmsClosed(userId: string, closed: boolean): void;
  /** The next `times` (default 1) requests matching `method` and `path` fail like Discord would (see faults.ts). */
  injectFault(fault: FaultSpec): void;
  /** Drops faults that have not fired yet. */
  clearFaults(): void;
  /** Stop discord.js clients first: a client whose server vanished keeps trying to reconnect. */
  close(): Promise<void>;
}

export async function startDiscordEmulator(options: DiscordEmulatorOptions): Promise<DiscordEmulator> {
  const state = new EmulatorState(options);
  const warn = options.logger ?? ((line: string) => console.warn(line));
  const log = options.logger ?? (() => undefined);
  let port = 0;
  const gatewayUrl = () => `ws://127.0.0.1:${port}/gateway`;
  const gateway = new Gateway({ state, token: options.token, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, url: gatewayUrl, log });
  const interactions = new InteractionRegistry(options.interactionCallbackTimeoutMs ?? 3_000);
  const ctx: EmulatorContext = { state, gateway, interactions, log };
  const requests: RecordedRequest[] = [];
  const rateLimiter = options.rateLimits ? new RateLimiter({ globalPerSecond: 50, ...options.rateLimits }) : undefined;
  const routes = [
    ...appRoutes({ gatewayUrl }),
    ...interactionCallbackRoutes,
    ...webhookRoutes,
    ...channelRoutes,
    ...threadRoutes,
    ...guildRoutes,
  ];
  const faults = new FaultInjector();
  const handler = createRequestHandler({ ...ctx, token: options.token, routes, rateLimiter, faults, requests, onRequest: options.onRequest, warn });
  const server = createServer((req, res) => void handler(req, res));
  gateway.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${port}`;

  const timeout = <T>(promise: Promise<T>, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Discord emulator: timed out after ${ms} ms waiting for ${what}`)), ms);
      promise.then(
        (v) => (clearTimeout(timer), resolve(v)),
        (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
      );
    });

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    requests,
    state,
    rateLimitCounts: rateLimiter?.counts ?? { routeLimited: 0, globalLimited: 0 },
    gatewayCounts: gateway.counts,
    ...createActions(ctx),
    ...createHistoryActions(ctx),
    waitForReady: (timeoutMs = 10_000) => timeout(gateway.whenReady(), timeoutMs, 'the bot to identify'),
    waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      return new Promise<T>((resolve, reject) => {
        const poll = () => {
          let value: T | undefined | null | false;
          try {
            value = predicate();
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (value) resolve(value);
          else if (Date.now() > deadline) reject(new Error(`Discord emulator: condition not met within ${timeoutMs} ms`));
          else setTimeout(poll, 10);
        };
        poll();
      });
    },
    dmChannelId(userId) {
      const channel = state.dmChannelFor(userId);
      if (!channel) throw new Error(`Discord emulator: unknown user ${userId}`);
      return channel.id;
    },
    dropConnection: (code, opts) => gateway.dropConnection(code, opts),
    requestHeartbeat: () => gateway.requestHeartbeat(),
    setDmsClosed(userId, closed) {
      if (closed) state.dmsClosed.add(userId);
      else state.dmsClosed.delete(userId);
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
