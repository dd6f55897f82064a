// What /top and /rank show. Pure: tested on fixtures, no Discord objects beyond builders.
import { EmbedBuilder } from 'discord.js';
import type { PointsSource } from '../db/schema.ts';
import type { RankSummary } from './rank.ts';
import { pointsForLevel, type LevelCurve, type RewardRole } from './levels.ts';
import type { TopEntry, TopPeriod } from './top-content.ts';
import { sparkline, SPARK_WEEKS, TREND_DAYS } from './trend.ts';

export interface TopItem extends TopEntry {
  title: string;
  /** Jump link to the published message; null if it is not known. */
  link: string | null;
}

const PERIOD_LABEL: Record<TopPeriod, string> = { week: 'the last 7 days', month: 'the last 30 days', all: 'all time' };
const SOURCE_LABEL: Record<PointsSource, string> = { qa_solution: 'Q&A solutions', post_approved: 'Approved posts', rating: 'Ratings received', challenge: 'Challenges' };

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const stars = (n: number) => `${n.toFixed(1)}★`;

export function topView(items: readonly TopItem[], period: TopPeriod, kind: string | null): { embeds: EmbedBuilder[] } {
  const heading = `Top ${kind ? `${kind} posts` : 'content'}: ${PERIOD_LABEL[period]}`;
  if (items.length === 0) {
    const none = `Nothing published${kind ? ` of kind ${kind}` : ''} in ${PERIOD_LABEL[period]} yet. Try a longer period, or share something with /post.`;
    return { embeds: [new EmbedBuilder().setTitle(heading).setDescription(none)] };
  }
  const lines = items.map((item, i) => {
    // Titles are member text: brackets would break the markdown link.
    const title = oneLine(item.title, 80).replace(/[[\]]/g, '');
    const name = item.link ? `[${title}](${item.link})` : title;
    const rated = item.ratingCount ? `${stars(item.quality)} from ${item.ratingCount} rating${item.ratingCount === 1 ? '' : 's'}` : 'not rated yet';
    return `**${i + 1}. ${name}**\n${rated} · ${item.readers} reader${item.readers === 1 ? '' : 's'} · ${item.kind} by <@${item.authorId}> · <t:${Math.floor(item.publishedAt / 1000)}:R>`;
  });
  const embed = new EmbedBuilder()
    .setTitle(heading)
    .setDescription(lines.join('\n'))
    .setFooter({ text: 'Ranked by rating (few ratings lean on the average), readers and freshness. Rate posts with the buttons under them.' });
  return { embeds: [embed] };
}

/** ▰▰▰▱▱▱▱▱▱▱ */
export function progressBar(fraction: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

export function rankView(summary: RankSummary, name: string, setup: { levels: LevelCurve; rewardRoles: readonly RewardRole[] }): { embeds: EmbedBuilder[] } {
  const { total, progress, trend } = summary;
  const level =
    progress.next === null
      ? `**${progress.level}** (the top level)`
      : `**${progress.level}** · ${total - progress.floor} of ${progress.next - progress.floor} points to level ${progress.level + 1} ${progressBar((total - progress.floor) / (progress.next - progress.floor))}`;
  const nextReward = setup.rewardRoles.filter((r) => r.level > progress.level).sort((a, b) => a.level - b.level)[0];
  const sources = (Object.keys(SOURCE_LABEL) as PointsSource[]).map((s) => `${SOURCE_LABEL[s]}: ${summary.bySource[s]}`).join('\n');
  const arrow = trend.last30 > trend.previous30 ? '▲' : trend.last30 < trend.previous30 ? '▼' : '＝';
  const embed = new EmbedBuilder()
    .setTitle(`${oneLine(name, 80)}: reputation`)
    .setDescription(`<@${summary.memberId}> has **${total}** point${total === 1 ? '' : 's'}.`)
    .addFields(
      { name: 'Level', value: level },
      { name: 'By source', value: sources, inline: true },
      {
        name: `Last ${TREND_DAYS} days`,
        value: `${signed(trend.last30)} ${arrow} (the ${TREND_DAYS} before: ${signed(trend.previous30)})\n\`${sparkline(trend.weekly)}\` weekly, last ${SPARK_WEEKS} weeks`,
        inline: true,
      },
    );
  if (nextReward) {
    const toGo = pointsForLevel(nextReward.level, setup.levels) - total;
    embed.addFields({ name: 'Next reward', value: `<@&${nextReward.roleId}> at level ${nextReward.level}: ${toGo} point${toGo === 1 ? '' : 's'} to go` });
  }
  return { embeds: [embed] };
}
