// /me's words: pure, from a MemberSummary.
import type { APIEmbedField } from 'discord.js';
import { STREAK_MAX_WEEKS } from './member-streak.ts';
import type { MemberSummary } from './member-summary.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function streakText(weeks: number): string {
  if (weeks === 0) return 'No streak: nothing in the last 7 days. Ask, answer or chat to start one.';
  const span = weeks >= STREAK_MAX_WEEKS ? `${STREAK_MAX_WEEKS}+ weeks` : plural(weeks, 'week');
  return `${span} in a row with activity`;
}

export function meFields(s: MemberSummary): APIEmbedField[] {
  return [
    { name: 'Tier', value: s.tier ?? 'None yet: /join to become a member, /tiers to compare.', inline: true },
    { name: 'Points', value: s.points.toLocaleString('en-US'), inline: true },
    { name: 'Activity streak', value: streakText(s.streakWeeks) },
    {
      name: 'Contributions',
      value: [
        `Questions asked: ${s.questionsAsked}`,
        `Answers: ${s.answers} (${plural(s.solutions, 'accepted solution')})`,
        `Challenge entries: ${s.challengeEntries}`,
        `Posts published: ${s.postsPublished}`,
      ].join('\n'),
    },
  ];
}
