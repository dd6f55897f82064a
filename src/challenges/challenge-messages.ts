// Pure message bodies the challenge feature posts: announcement, close, results, the author's
// verdict DM, and notices for edits and cancellations. None pings anyone: mentions render as names.
import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { SubmissionState } from '../db/schema-challenges.ts';
import { describeEntryRule } from './challenge-input.ts';
import { when } from './challenge-state.ts';
import type { ChallengeRow } from './challenges-repo.ts';
import { describeResult, parseReasons } from './verdict-tally.ts';

const NO_PINGS = { parse: [] as never[] };
const COLOR = 0x5865f2;

export function pointsLine(c: Pick<ChallengeRow, 'points' | 'best_bonus'>): string {
  return `${c.points} points for an accepted entry${c.best_bonus > 0 ? `, +${c.best_bonus} for the best one` : ''}`;
}

export function challengeEmbed(c: ChallengeRow, opts: { withStatement: boolean }): APIEmbed {
  const fields = [
    { name: 'Opens', value: `${when(c.starts_at)} (${when(c.starts_at, 'R')})`, inline: true },
    { name: 'Deadline', value: `${when(c.deadline_at)} (${when(c.deadline_at, 'R')})`, inline: true },
    { name: 'Points', value: pointsLine(c), inline: false },
    { name: 'Who may enter', value: describeEntryRule(c), inline: true },
    { name: 'Judges', value: c.judges_required === 1 ? 'one judge decides each entry' : `${c.judges_required} judges must agree on each entry`, inline: true },
  ];
  if (opts.withStatement && c.rules) fields.unshift({ name: 'Rules', value: c.rules, inline: false });
  return {
    title: `#${c.id} · ${c.title}`,
    description: opts.withStatement ? c.statement : 'The statement is revealed when the challenge opens.',
    color: COLOR,
    fields,
  };
}

export function announcementMessage(c: ChallengeRow): RESTPostAPIChannelMessageJSONBody {
  return {
    content: `🧩 **A new challenge is open:** ${c.title}\nEnter with \`/challenge submit\` (challenge #${c.id}) before ${when(c.deadline_at)}. Entries are private: only you and the judges see yours.`,
    embeds: [challengeEmbed(c, { withStatement: true })],
    allowed_mentions: NO_PINGS,
  };
}

export function closedMessage(c: ChallengeRow, entries: number): RESTPostAPIChannelMessageJSONBody {
  const what = entries === 0 ? 'No entries arrived.' : `${entries === 1 ? '1 entry went' : `${entries} entries went`} to the judges; results follow once they agree.`;
  return { content: `⏰ **Challenge #${c.id} · ${c.title}** is closed. ${what}`, allowed_mentions: NO_PINGS };
}

export interface ResultEntry {
  author_id: string;
  state: SubmissionState;
}

/** Up to 100 mentions (about 2300 characters), so a big challenge still fits an embed's 4096. */
function names(entries: readonly ResultEntry[]): string {
  const shown = entries.slice(0, 100).map((e) => `<@${e.author_id}>`).join(', ');
  return entries.length > 100 ? `${shown} and ${entries.length - 100} more` : shown;
}

/** Results: who took part, who was accepted, whose entry was the best. Names render; nobody is pinged. */
export function resultsMessage(c: ChallengeRow, entries: readonly ResultEntry[], round: number): RESTPostAPIChannelMessageJSONBody {
  const accepted = entries.filter((e) => e.state === 'accepted' || e.state === 'best');
  const best = entries.find((e) => e.state === 'best');
  const lines = [
    `${entries.length === 1 ? '1 member' : `${entries.length} members`} took part.`,
    accepted.length ? `✅ **Accepted** (${c.points} points each): ${names(accepted)}` : 'No entry was accepted this time.',
  ];
  if (best) lines.push(`⭐ **Best entry:** <@${best.author_id}>${c.best_bonus > 0 ? ` (+${c.best_bonus} bonus points)` : ''}`);
  return {
    content: round > 1 ? `🔁 **Updated results** for challenge #${c.id} (a verdict was revised).` : `🏁 **Results** for challenge #${c.id}.`,
    embeds: [{ title: `#${c.id} · ${c.title}`, description: lines.join('\n'), color: COLOR }],
    allowed_mentions: NO_PINGS,
  };
}

export function verdictDm(c: ChallengeRow, s: { state: SubmissionState; result_reasons: string | null }, credited: number, revised: boolean): RESTPostAPIChannelMessageJSONBody {
  const result = describeResult(s.state, parseReasons(s.result_reasons));
  const points = credited > 0 ? ` You earn **${credited} points**.` : '';
  const again = revised ? ' (The judges revised their verdict; this replaces what you were told before.)' : '';
  return {
    content: `Your entry for challenge #${c.id} **${c.title}** was ${result}.${points}${again}`,
    allowed_mentions: NO_PINGS,
  };
}

export function editNotice(c: ChallengeRow, changed: readonly string[]): RESTPostAPIChannelMessageJSONBody {
  const deadline = changed.includes('deadline_at') ? ` The deadline is now ${when(c.deadline_at)} (${when(c.deadline_at, 'R')}).` : '';
  return { content: `📝 Challenge #${c.id} **${c.title}** was updated (${changed.map(plain).join(', ')}): see \`/challenge show\`.${deadline}`, allowed_mentions: NO_PINGS };
}

export function cancelNotice(c: ChallengeRow, reason: string): RESTPostAPIChannelMessageJSONBody {
  return { content: `🚫 Challenge #${c.id} **${c.title}** was cancelled: ${reason}`, allowed_mentions: NO_PINGS };
}

const PLAIN: Record<string, string> = {
  title: 'title', statement: 'statement', rules: 'rules', starts_at: 'start', deadline_at: 'deadline', points: 'points',
  best_bonus: 'best-entry bonus', judges_required: 'judges', tiers: 'who may enter',
};
const plain = (field: string) => PLAIN[field] ?? field;
