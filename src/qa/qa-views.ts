// What /qa search and /qa stats show. Pure: tested on fixtures, no Discord objects.
import { EmbedBuilder } from 'discord.js';
import type { SearchHit } from './search.ts';
import type { QaFigures, QaStats } from './stats.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "—" for none, else the two largest units: "45 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < HOUR) return `${Math.max(0, Math.round(ms / MINUTE))} min`;
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.round((ms - h * HOUR) / MINUTE);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(ms / DAY);
  const h = Math.round((ms - d * DAY) / HOUR);
  return h ? `${d} d ${h} h` : `${d} d`;
}

export const formatPct = (pct: number | null): string => (pct === null ? '—' : `${Math.round(pct)}%`);

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};

/** Up to 5 solved questions, each with a jump link to its solution (or its thread). */
export function searchView(query: string, hits: readonly SearchHit[], guildId: string): { content?: string; embeds: EmbedBuilder[] } {
  const shown = oneLine(query, 100);
  if (hits.length === 0) {
    return { content: `Nothing found among solved questions for “${shown}”. Try fewer or other words, or ask it with /ask.`, embeds: [] };
  }
  const lines = hits.slice(0, 5).map((h, i) => {
    const link = `https://discord.com/channels/${guildId}/${h.threadId ?? h.channelId}${h.solutionMessageId ? `/${h.solutionMessageId}` : ''}`;
    // Titles are member text: brackets would break the markdown link.
    const title = oneLine(h.title, 90).replace(/[[\]]/g, '');
    return `**${i + 1}. [${title}](${link})**\n${oneLine(h.snippet, 180)}`;
  });
  const embed = new EmbedBuilder().setTitle(`Solved questions for “${shown}”`).setDescription(lines.join('\n\n'));
  return { embeds: [embed] };
}

function summary(f: QaFigures): string {
  return `${f.asked} asked · ${formatPct(f.answeredPct)} answered · ${formatPct(f.solvedPct)} solved · first answer ${formatDuration(f.medianFirstAnswerMs)}`;
}

function split(groups: Record<string, QaFigures>): string {
  const lines = Object.entries(groups).map(([name, f]) => `**${name}**: ${summary(f)}`);
  return lines.length ? oneLineList(lines) : 'No questions.';
}

/** Field values hold at most 1024 characters. */
function oneLineList(lines: string[]): string {
  let out = '';
  for (const line of lines) {
    if (out.length + line.length + 1 > 1000) return `${out}\n…`;
    out = out ? `${out}\n${line}` : line;
  }
  return out;
}

export function statsEmbed(s: QaStats): EmbedBuilder {
  return new EmbedBuilder()
    .setTitle(`Q&A, last ${s.days} days`)
    .setDescription(`Questions asked from <t:${Math.floor(s.from / 1000)}:d> to <t:${Math.floor(s.to / 1000)}:d>.`)
    .addFields(
      { name: 'Asked', value: String(s.asked), inline: true },
      { name: 'Answered', value: `${s.answered} (${formatPct(s.answeredPct)})`, inline: true },
      { name: 'Solved', value: `${s.solved} (${formatPct(s.solvedPct)})`, inline: true },
      { name: 'Median to first answer', value: formatDuration(s.medianFirstAnswerMs), inline: true },
      { name: 'Median to first expert answer', value: formatDuration(s.medianFirstExpertAnswerMs), inline: true },
      // "in all": every question still waiting, however old, beside those asked in the period.
      { name: 'Still open', value: `${s.open} of these · ${s.backlogOpen} in all`, inline: true },
      { name: 'Unanswered', value: `${s.unanswered} of these · ${s.backlogUnanswered} in all`, inline: true },
      { name: 'By topic', value: split(s.byTopic) },
      { name: "By asker's tier", value: split(s.byTier) },
    );
}
