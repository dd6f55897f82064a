// Voice sessions from voice state updates: join to leave, one session per channel. No I/O: the
// capture persists what `persist` reports and records what `session` reports.
import type { ActivityInput } from './sink.ts';
import { MINUTE_MS } from './rows.ts';

/**
 * A session restored after a restart continues only when the bot was gone for less than this and
 * the member is still in the same channel; otherwise it ends when the bot last saw it (seen_at).
 */
export const VOICE_RESUME_GAP_MS = 10 * MINUTE_MS;

export interface OpenVoiceRow {
  user_id: string;
  channel_id: string;
  started_at: number;
  seen_at: number;
}

interface Open {
  channelId: string;
  startedAt: number;
  seenAt: number;
  /** Loaded from the database after a restart, not yet confirmed by the gateway. */
  restored: boolean;
}

export interface VoiceEmit {
  session(event: ActivityInput): void;
  persist(userId: string, row: Omit<OpenVoiceRow, 'user_id'> | null): void;
}

export class VoiceSessions {
  private readonly open = new Map<string, Open>();
  private afkChannelId: string | null = null;

  constructor(private readonly emit: VoiceEmit) {}

  restore(rows: readonly OpenVoiceRow[]): void {
    for (const r of rows) this.open.set(r.user_id, { channelId: r.channel_id, startedAt: r.started_at, seenAt: r.seen_at, restored: true });
  }

  /** Users whose restored session is not confirmed yet: their seen_at must not move. */
  restoredIds(): string[] {
    return [...this.open].filter(([, s]) => s.restored).map(([id]) => id);
  }

  get size(): number {
    return this.open.size;
  }

  /** VOICE_STATE_UPDATE: `channelId` null means the member left voice. Mute or deafen changes nothing. */
  update(userId: string, channelId: string | null, at: number): void {
    const channel = channelId === this.afkChannelId ? null : channelId;
    const current = this.open.get(userId);
    if (current && current.channelId === channel) return this.confirm(userId, current, at);
    if (current) this.close(userId, current, at);
    if (channel) this.start(userId, channel, at);
  }

  /** A bot in voice: never a session, and no trace of one. */
  forget(userId: string): void {
    if (this.open.delete(userId)) this.emit.persist(userId, null);
  }

  /** GUILD_CREATE: who is in voice now. Sessions not in it ended; members in it without one start now. */
  snapshot(states: readonly { userId: string; channelId: string | null }[], afkChannelId: string | null, at: number): void {
    this.afkChannelId = afkChannelId;
    const present = new Map<string, string>();
    for (const s of states) if (s.channelId && s.channelId !== afkChannelId) present.set(s.userId, s.channelId);
    for (const [userId, current] of [...this.open]) {
      if (present.get(userId) === current.channelId) this.confirm(userId, current, at);
      else this.close(userId, current, at);
    }
    for (const [userId, channelId] of present) if (!this.open.has(userId)) this.start(userId, channelId, at);
  }

  private confirm(userId: string, current: Open, at: number): void {
    if (!current.restored) return;
    if (at - current.seenAt <= VOICE_RESUME_GAP_MS) {
      current.restored = false;
      return;
    }
    this.close(userId, current, at);
    this.start(userId, current.channelId, at);
  }

  private close(userId: string, s: Open, at: number): void {
    this.open.delete(userId);
    // After a restart we cannot know when they left: the last moment the bot saw the session open.
    const end = s.restored ? Math.min(s.seenAt, at) : at;
    this.emit.persist(userId, null);
    if (end > s.startedAt) this.emit.session({ userId, kind: 'voice', at: s.startedAt, endAt: end, minutes: Math.floor((end - s.startedAt) / MINUTE_MS), channelId: s.channelId });
  }

  private start(userId: string, channelId: string, at: number): void {
    this.open.set(userId, { channelId, startedAt: at, seenAt: at, restored: false });
    this.emit.persist(userId, { channel_id: channelId, started_at: at, seen_at: at });
  }
}
