// Who chats how often, and who asks: the messages of the sandbox's 12 weeks. Week 0 is the last
// week before now (days [0, 7) ago), week 11 the oldest. A member's messages of a week are spread
// evenly over the part of it after they joined, never within 6 hours of a week boundary.
import { SAMPLE } from './discord/index.ts';
import { DAY_MS, historyMember } from './history.ts';

/** Messages per week in the text channels, week 0 (the latest) first. */
export const CHAT: Readonly<Record<string, readonly number[]>> = {
  hana: [6, 5, 6, 4, 5, 6, 5, 4, 5, 6, 4, 3],
  ivan: [2, 1, 0, 2, 1, 1, 2, 1, 0, 1, 2, 1],
  june: [4, 3, 3, 2, 3, 4, 3, 2, 3, 2, 2, 1],
  kai: [1, 0, 0, 0, 0, 0, 1, 2, 2, 3, 2, 1],
  cleo: [1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0],
  lena: [3, 2, 3, 2, 2, 3, 2, 2, 1, 2, 0, 0],
  milo: [1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 0, 0],
  // nora, oscar and wren go quiet two weeks before now: at risk.
  nora: [0, 0, 1, 2, 2, 3, 2, 2, 1, 0, 0, 0],
  gus: [0, 0, 0, 0, 0, 1, 1, 2, 1, 0, 0, 0],
  oscar: [0, 0, 2, 1, 1, 2, 1, 1, 0, 0, 0, 0],
  pia: [3, 4, 2, 3, 3, 2, 3, 1, 0, 0, 0, 0],
  finn: [0, 0, 0, 0, 1, 1, 2, 1, 0, 0, 0, 0],
  quinn: [2, 1, 2, 1, 2, 1, 2, 0, 0, 0, 0, 0],
  rosa: [1, 1, 0, 1, 1, 2, 1, 0, 0, 0, 0, 0],
  sam: [0, 0, 0, 1, 2, 2, 0, 0, 0, 0, 0, 0],
  tara: [1, 0, 1, 2, 2, 1, 0, 0, 0, 0, 0, 0],
  dev: [0, 1, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0],
  uma: [4, 3, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0],
  vic: [1, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
  wren: [0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  xena: [3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  bea: [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  zoe: [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  abe: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
};

/** Paying Pro and Founder members write every other message in #pro-lounge. */
const LOUNGE = new Set(['hana', 'june', 'pia', 'uma']);

/** Forum posts in #questions (the old way of asking, before /ask) and their replies; tess is the TS expert. */
export const FORUM_POSTS: readonly { by: string; days: number; title: string; replies: readonly [string, number][] }[] = [
  { by: 'ivan', days: 80.1, title: 'How do you structure a monorepo?', replies: [['tess', 79.9], ['hana', 79.5]] },
  { by: 'kai', days: 71.3, title: 'Best way to learn generics?', replies: [['tess', 70.9]] },
  { by: 'milo', days: 60.7, title: 'ESM or CommonJS for a new library?', replies: [['tess', 60.4], ['june', 60.1]] },
  { by: 'oscar', days: 45.2, title: 'Why is my type narrowed to never?', replies: [['tess', 44.8]] },
  { by: 'quinn', days: 30.6, title: 'Testing code that reads the clock', replies: [['tess', 30.2], ['pia', 29.8]] },
  { by: 'uma', days: 19.4, title: 'Typing a reducer with a discriminated union', replies: [['tess', 19.1]] },
  { by: 'xena', days: 9.6, title: 'First project: where do I start?', replies: [['tess', 9.2], ['uma', 8.8]] },
  { by: 'zoe', days: 2.3, title: 'satisfies vs a type annotation', replies: [['tess', 1.9], ['hana', 1.6]] },
  { by: 'abe', days: 0.6, title: 'Branded ids without runtime cost?', replies: [] },
];

/** A thread in #general: its starter message, then the replies in the thread. */
export const GENERAL_THREAD = { by: 'hana', days: 23.6, name: 'Show your desk setup', replies: [['lena', 23.2], ['uma', 22.9], ['vic', 22.4], ['pia', 21.6]] as [string, number][] };

const LINES = ['morning all', 'that build finally passes', 'anyone tried the new release?', 'thanks, that helped', 'pairing on this later?', 'nice write-up', 'same problem here', 'shipping it today'];

export interface PlannedMessage {
  kind: 'chat' | 'forum_post' | 'reply' | 'thread_start';
  authorId: string;
  /** Days before now. */
  days: number;
  channelId: string;
  content: string;
  /** forum_post: the post's title; thread_start: the thread's name; reply: the post or thread it answers. */
  title?: string;
}

const userId = (name: string) => (name === 'tess' ? SAMPLE.users.tess : historyMember(name).id);

/** Every planned chat message, oldest week first. */
export function chatMessages(): PlannedMessage[] {
  const out: PlannedMessage[] = [];
  for (const [name, weeks] of Object.entries(CHAT)) {
    const joined = historyMember(name).joined;
    let sent = 0;
    weeks.forEach((n, week) => {
      if (n === 0) return;
      const lo = 7 * week + 0.25;
      const hi = Math.min(7 * week + 6.75, joined - 0.1);
      if (hi - lo < 0.2) throw new Error(`history plan: ${name} writes in week ${week} before joining`);
      for (let k = 0; k < n; k++) {
        const channelId = LOUNGE.has(name) && sent % 2 === 1 ? SAMPLE.channels.proLounge : SAMPLE.channels.general;
        out.push({ kind: 'chat', authorId: userId(name), days: lo + ((k + 0.5) * (hi - lo)) / n, channelId, content: LINES[sent % LINES.length]! });
        sent += 1;
      }
    });
  }
  return out.sort((a, b) => b.days - a.days);
}

/** Forum posts, the #general thread and their replies, in the order they were written. */
export function threadMessages(): PlannedMessage[] {
  const out: PlannedMessage[] = [];
  for (const p of FORUM_POSTS) {
    out.push({ kind: 'forum_post', authorId: userId(p.by), days: p.days, channelId: SAMPLE.channels.forum, title: p.title, content: `${p.title} (details in the post)` });
    for (const [by, days] of p.replies) out.push({ kind: 'reply', authorId: userId(by), days, channelId: SAMPLE.channels.forum, title: p.title, content: 'here is how I would do it' });
  }
  const t = GENERAL_THREAD;
  out.push({ kind: 'thread_start', authorId: userId(t.by), days: t.days, channelId: SAMPLE.channels.general, title: t.name, content: 'post a photo of your desk!' });
  for (const [by, days] of t.replies) out.push({ kind: 'reply', authorId: userId(by), days, channelId: SAMPLE.channels.general, title: t.name, content: 'mine is a mess' });
  return out.sort((a, b) => b.days - a.days);
}

export const atDays = (now: number, days: number): number => now - Math.round(days * DAY_MS);
