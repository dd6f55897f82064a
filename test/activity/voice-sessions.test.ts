import { describe, expect, it } from 'vitest';
import type { ActivityInput } from '../../src/activity/sink.ts';
import { VOICE_RESUME_GAP_MS, VoiceSessions, type OpenVoiceRow } from '../../src/activity/voice-sessions.ts';

const MIN = 60_000;
const T = Date.UTC(2026, 10, 2, 20, 0, 0);
const U = '1300000000000009201';
const V1 = '1300000000000000408';
const V2 = '1300000000000000409';
const AFK = '1300000000000000410';

function tracker() {
  const sessions: ActivityInput[] = [];
  const persisted = new Map<string, Omit<OpenVoiceRow, 'user_id'> | null>();
  const voice = new VoiceSessions({ session: (e) => sessions.push(e), persist: (id, row) => persisted.set(id, row) });
  return { voice, sessions, persisted };
}

describe('voice sessions', () => {
  it('join to leave is one session with its minutes; mute changes nothing; a move splits it by channel', () => {
    const { voice, sessions, persisted } = tracker();
    voice.update(U, V1, T);
    expect(persisted.get(U)).toEqual({ channel_id: V1, started_at: T, seen_at: T });
    voice.update(U, V1, T + 5 * MIN); // self-mute: same channel
    voice.update(U, V2, T + 30 * MIN + 59_000);
    voice.update(U, null, T + 45 * MIN);
    expect(sessions).toEqual([
      { userId: U, kind: 'voice', at: T, endAt: T + 30 * MIN + 59_000, minutes: 30, channelId: V1 },
      { userId: U, kind: 'voice', at: T + 30 * MIN + 59_000, endAt: T + 45 * MIN, minutes: 14, channelId: V2 },
    ]);
    expect(persisted.get(U)).toBeNull();
    expect(voice.size).toBe(0);
  });

  it('the AFK channel counts as out of voice', () => {
    const { voice, sessions } = tracker();
    voice.snapshot([], AFK, T);
    voice.update(U, V1, T);
    voice.update(U, AFK, T + 10 * MIN);
    voice.update(U, V1, T + 50 * MIN);
    expect(sessions).toEqual([{ userId: U, kind: 'voice', at: T, endAt: T + 10 * MIN, minutes: 10, channelId: V1 }]);
    expect(voice.size).toBe(1);
  });

  it('after a quick restart a session still open in the same channel continues from its real start', () => {
    const { voice, sessions } = tracker();
    voice.restore([{ user_id: U, channel_id: V1, started_at: T, seen_at: T + 60 * MIN }]);
    expect(voice.restoredIds()).toEqual([U]);
    voice.snapshot([{ userId: U, channelId: V1 }], null, T + 60 * MIN + VOICE_RESUME_GAP_MS);
    expect(voice.restoredIds()).toEqual([]);
    voice.update(U, null, T + 90 * MIN);
    expect(sessions).toEqual([{ userId: U, kind: 'voice', at: T, endAt: T + 90 * MIN, minutes: 90, channelId: V1 }]);
  });

  it('after a long outage, or when the member left meanwhile, the session ends when the bot last saw it', () => {
    const { voice, sessions } = tracker();
    const other = '1300000000000009202';
    voice.restore([
      { user_id: U, channel_id: V1, started_at: T, seen_at: T + 20 * MIN },
      { user_id: other, channel_id: V1, started_at: T, seen_at: T + 20 * MIN },
    ]);
    const back = T + 20 * MIN + VOICE_RESUME_GAP_MS + 1;
    voice.snapshot([{ userId: U, channelId: V1 }], null, back);
    expect(sessions).toEqual([
      { userId: U, kind: 'voice', at: T, endAt: T + 20 * MIN, minutes: 20, channelId: V1 },
      { userId: other, kind: 'voice', at: T, endAt: T + 20 * MIN, minutes: 20, channelId: V1 },
    ]);
    // U is still there: a new session from the moment the bot is back.
    voice.update(U, null, back + 5 * MIN);
    expect(sessions.at(-1)).toEqual({ userId: U, kind: 'voice', at: back, endAt: back + 5 * MIN, minutes: 5, channelId: V1 });
  });

  it('a bot in voice leaves no session and no open row', () => {
    const { voice, sessions, persisted } = tracker();
    voice.update(U, V1, T);
    voice.forget(U);
    expect(sessions).toEqual([]);
    expect(persisted.get(U)).toBeNull();
  });
});
