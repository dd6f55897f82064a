// In-memory sources for tests, the sandbox and the raw-scan baseline. Bots are dropped here, so a
// bot's messages never reach a figure even when the caller passes them.
import type { ChatSource, InteractionSource } from './input.ts';
import { firstAtOrAfter, MINUTE } from './time.ts';

/** Interactions per member (any order); binary search makes each question O(log n). */
export function interactionsFromTimestamps(byMember: ReadonlyMap<string, readonly number[]>): InteractionSource {
  const sorted = new Map([...byMember].map(([id, times]) => [id, [...times].sort((a, b) => a - b)]));
  return {
    hasInteraction(userId, from, to) {
      const times = sorted.get(userId);
      if (!times || from >= to) return false;
      const i = firstAtOrAfter(times, from);
      return i < times.length && times[i]! < to;
    },
    lastInteractionSince(userId, since, before) {
      const times = sorted.get(userId);
      const i = times ? firstAtOrAfter(times, before) - 1 : -1;
      return i >= 0 && times![i]! >= since ? times![i]! : null;
    },
  };
}

export interface ChatEvent {
  user_id: string;
  at: number;
  bot?: boolean;
}

export interface VoiceSession {
  user_id: string;
  /** Join and leave. */
  started_at: number;
  ended_at: number;
  bot?: boolean;
}

/** Milliseconds of [start, end) inside [from, to). */
export const overlapMs = (start: number, end: number, from: number, to: number): number => Math.max(0, Math.min(end, to) - Math.max(start, from));

/** Messages and voice sessions as captured; bots are excluded, and voice needs a minute inside the window. */
export function chatFromEvents(messages: readonly ChatEvent[], voice: readonly VoiceSession[]): ChatSource {
  const humanMessages = messages.filter((m) => !m.bot).sort((a, b) => a.at - b.at);
  const times = humanMessages.map((m) => m.at);
  const humanVoice = voice.filter((v) => !v.bot);
  return {
    messageCount: (from, to) => Math.max(0, firstAtOrAfter(times, to) - firstAtOrAfter(times, from)),
    communicatorCount(from, to) {
      const users = new Set<string>();
      for (let i = firstAtOrAfter(times, from); i < times.length && times[i]! < to; i++) users.add(humanMessages[i]!.user_id);
      const voiceMs = new Map<string, number>();
      for (const v of humanVoice) voiceMs.set(v.user_id, (voiceMs.get(v.user_id) ?? 0) + overlapMs(v.started_at, v.ended_at, from, to));
      for (const [user, ms] of voiceMs) if (ms >= MINUTE) users.add(user);
      return users.size;
    },
  };
}
