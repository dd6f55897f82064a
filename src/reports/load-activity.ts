// The synchronous InteractionSource and ChatSource the metric functions call, answered from a cache.
//
// The metric functions are pure and synchronous, and which windows they ask about depends on the
// members' histories (each cohort-1 member's activation week, each paying member's last
// interaction). So compute-digest.ts runs them against this cache: a question it cannot answer yet
// is recorded and answered with a placeholder (false, null, 0); then every recorded question is
// loaded in a few batched queries (load-interactions.ts, load-windows.ts, load-chat.ts) and the
// metrics run again, until a run asks nothing new. Only that last run's figures are used, and every
// answer in it came from the database. The expected questions are loaded before the first run
// (load-hints.ts), so that one run is usually enough.
import type { ChatSource, InteractionSource } from './metrics/input.ts';

export interface Window {
  from: number;
  to: number;
}

/** What a run asked and the cache could not answer. */
export interface ActivityQuestions {
  /** Latest interaction strictly before T: T → users. */
  lastBefore: Map<number, Set<string>>;
  /** Any interaction in [from, to): window key → the window and its users. */
  has: Map<string, Window & { users: Set<string> }>;
  /** Message counts and communicator counts: window key → window. */
  messages: Map<string, Window>;
  communicators: Map<string, Window>;
}

/** What the loaders found; filled in place. */
export interface ActivityAnswers {
  lastBefore: Map<number, Map<string, number | null>>;
  has: Map<string, Map<string, boolean>>;
  messages: Map<string, number>;
  communicators: Map<string, number>;
}

export const windowKey = (from: number, to: number): string => `${from}:${to}`;

const emptyQuestions = (): ActivityQuestions => ({ lastBefore: new Map(), has: new Map(), messages: new Map(), communicators: new Map() });

export interface CachedActivity {
  interactions: InteractionSource;
  chat: ChatSource;
  answers: ActivityAnswers;
  /** The questions recorded since the last call (null when there were none), and a fresh record. */
  takeQuestions(): ActivityQuestions | null;
}

export function cachedActivity(): CachedActivity {
  const answers: ActivityAnswers = { lastBefore: new Map(), has: new Map(), messages: new Map(), communicators: new Map() };
  let asked = emptyQuestions();
  let pending = false;
  const miss = () => void (pending = true);

  const interactions: InteractionSource = {
    hasInteraction(userId, from, to) {
      if (!(from < to)) return false;
      const key = windowKey(from, to);
      const known = answers.has.get(key)?.get(userId);
      if (known !== undefined) return known;
      let w = asked.has.get(key);
      if (!w) asked.has.set(key, (w = { from, to, users: new Set() }));
      w.users.add(userId);
      miss();
      return false;
    },
    lastInteractionBefore(userId, before) {
      const known = answers.lastBefore.get(before)?.get(userId);
      if (known !== undefined) return known;
      let users = asked.lastBefore.get(before);
      if (!users) asked.lastBefore.set(before, (users = new Set()));
      users.add(userId);
      miss();
      return null;
    },
  };

  const count = (cache: Map<string, number>, record: Map<string, Window>) => (from: number, to: number): number => {
    if (!(from < to)) return 0;
    const key = windowKey(from, to);
    const known = cache.get(key);
    if (known !== undefined) return known;
    record.set(key, { from, to });
    miss();
    return 0;
  };
  const chat: ChatSource = {
    messageCount: (from, to) => count(answers.messages, asked.messages)(from, to),
    communicatorCount: (from, to) => count(answers.communicators, asked.communicators)(from, to),
  };

  return {
    interactions,
    chat,
    answers,
    takeQuestions() {
      const out = pending ? asked : null;
      asked = emptyQuestions();
      pending = false;
      return out;
    },
  };
}
