// The buffered activity writer behind deps.activity: record() only appends to memory; a flush writes
// up to `maxBatch` events with their hourly and member-day rollups and open voice sessions in ONE
// transaction, every `flushMs` after the first buffered event, as soon as `maxBatch` events wait,
// and on stop().
// A crash loses at most what is buffered: the events of the last `flushMs` (plus a flush in progress).
import { withSqlite, type Db } from '../db/database.ts';
import type { Clock } from '../discord/command.ts';
import type { Logger } from '../logging/logger.ts';
import { toRow, type ActivityRow } from './rows.ts';
import type { ActivityInput, ActivitySink } from './sink.ts';
import { VoiceSessions, type OpenVoiceRow } from './voice-sessions.ts';
import { writeActivityBatch, type VoiceTouch } from './write-batch.ts';

export interface ActivityCaptureOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  flushMs?: number;
  maxBatch?: number;
  /** While the database refuses writes, at most this many events wait; newer ones are dropped and counted. */
  maxBuffered?: number;
  /** How often open voice sessions are marked as still seen (bounds what a crash loses of them). */
  voiceSeenMs?: number;
}

export interface CaptureStats {
  recorded: number;
  written: number;
  dropped: number;
  flushes: number;
  failedFlushes: number;
}

export interface ActivityCapture extends ActivitySink {
  /** The capture's clock: receipt time for events without a timestamp of their own. */
  now(): number;
  /** VOICE_STATE_UPDATE, at receipt time; `channelId` null = left voice. */
  voiceState(userId: string, channelId: string | null, bot: boolean): void;
  /** GUILD_CREATE's voice_states: who is in voice right now (bots already left out). */
  voiceSnapshot(states: readonly { userId: string; channelId: string | null }[], afkChannelId: string | null): void;
  /** Writes everything buffered now; resolves when it is committed (or failed and kept). */
  flush(): Promise<void>;
  /** Final flush; record() afterwards only counts a drop. Idempotent. */
  stop(): Promise<void>;
  readonly stats: Readonly<CaptureStats>;
}

const RETRY_MS = 1_000;

export function createActivityCapture(o: ActivityCaptureOptions): ActivityCapture {
  const { db, clock, logger } = o;
  const flushMs = o.flushMs ?? 250;
  const maxBatch = o.maxBatch ?? 500;
  const maxBuffered = o.maxBuffered ?? 100_000;
  const stats: CaptureStats = { recorded: 0, written: 0, dropped: 0, flushes: 0, failedFlushes: 0 };
  let buffer: ActivityRow[] = [];
  let voiceWrites = new Map<string, Omit<OpenVoiceRow, 'user_id'> | null>();
  let touchDue = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let flushQueued = false;
  let stopped = false;
  let stopping: Promise<void> | undefined;
  let droppedReported = 0;

  function push(e: ActivityInput): void {
    const row = toRow(e);
    if (!row) return;
    if (stopped || buffer.length >= maxBuffered) {
      stats.dropped += 1;
      return;
    }
    buffer.push(row);
    stats.recorded += 1;
    if (buffer.length >= maxBatch) requestFlush();
    else arm(flushMs);
  }

  function arm(delay: number): void {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      requestFlush();
    }, delay);
    timer.unref();
  }

  function requestFlush(): Promise<void> {
    if (flushQueued) return chain;
    flushQueued = true;
    clearTimeout(timer);
    timer = undefined;
    chain = chain.then(drain).catch((err: unknown) => logger.error({ err }, 'activity: flush failed unexpectedly'));
    return chain;
  }

  async function drain(): Promise<void> {
    flushQueued = false;
    while (buffer.length > 0 || voiceWrites.size > 0 || touchDue) {
      const rows = buffer.length > maxBatch ? buffer.splice(0, maxBatch) : buffer;
      if (rows === buffer) buffer = [];
      const writes = voiceWrites;
      voiceWrites = new Map();
      const touch: VoiceTouch | undefined = touchDue ? { at: clock.now(), except: voice.restoredIds() } : undefined;
      touchDue = false;
      try {
        await withSqlite(db, (sqlite) => writeActivityBatch(sqlite, rows, writes, touch));
        stats.written += rows.length;
        stats.flushes += 1;
      } catch (err) {
        // Kept, in order, for the next attempt; voice writes made since then are newer and win.
        buffer = rows.concat(buffer);
        for (const [userId, w] of writes) if (!voiceWrites.has(userId)) voiceWrites.set(userId, w);
        touchDue ||= touch !== undefined;
        stats.failedFlushes += 1;
        logger.error({ err, events: rows.length, buffered: buffer.length }, 'activity: could not write a batch; kept in memory, retrying');
        arm(RETRY_MS);
        return;
      }
    }
    if (stats.dropped > droppedReported) {
      logger.warn({ dropped: stats.dropped - droppedReported, maxBuffered }, 'activity: events were dropped (buffer full, or recorded after shutdown)');
      droppedReported = stats.dropped;
    }
  }

  const voice = new VoiceSessions({
    session: push,
    persist(userId, row) {
      voiceWrites.set(userId, row);
      arm(flushMs);
    },
  });
  // Sessions open before a restart are loaded once, before the first voice state is applied.
  let voiceLoaded: Promise<void> | undefined;
  let voiceChain: Promise<void> = Promise.resolve();
  const onVoice = (what: string, op: () => void) => {
    voiceLoaded ??= db.selectFrom('voice_sessions_open').selectAll().execute().then((rows) => voice.restore(rows));
    voiceChain = voiceChain
      .then(() => voiceLoaded)
      .then(op)
      .catch((err: unknown) => logger.error({ err, what }, 'activity: could not apply a voice state'));
  };
  const seenTimer = setInterval(() => {
    if (voice.size === 0) return;
    touchDue = true;
    arm(flushMs);
  }, o.voiceSeenMs ?? 60_000);
  seenTimer.unref();

  return {
    stats,
    now: () => clock.now(),
    record(e) {
      try {
        push(e);
      } catch (err) {
        logger.error({ err, kind: e.kind }, 'activity: could not record an event');
      }
    },
    voiceState(userId, channelId, bot) {
      const at = clock.now();
      onVoice('voice state', () => (bot ? voice.forget(userId) : voice.update(userId, channelId, at)));
    },
    voiceSnapshot(states, afkChannelId) {
      const at = clock.now();
      onVoice('voice snapshot', () => voice.snapshot(states, afkChannelId, at));
    },
    flush: () => requestFlush(),
    stop() {
      stopping ??= (async () => {
        await voiceChain;
        // Sessions stay open in the table, marked seen now: a quick restart continues them.
        touchDue = voice.size > 0;
        stopped = true;
        clearTimeout(timer);
        clearInterval(seenTimer);
        await requestFlush();
        const lost = buffer.length;
        if (lost) logger.error({ lost }, 'activity: the final flush failed; these events are lost');
        logger.info({ written: stats.written, dropped: stats.dropped, openVoiceSessions: voice.size }, 'activity capture stopped');
      })();
      return stopping;
    },
  };
}
