// The private reply behind /challenge leaderboard and /leaderboard: the top 10 and the caller's own
// place. Ephemeral on purpose: the channel already has the one edited board, and a public reply per
// command would be exactly the leaderboard spam the issue asks to avoid.
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { PointsSource } from '../db/schema.ts';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { leaderboard, rankOf, type LeaderboardPeriod } from '../reputation/leaderboard.ts';
import { zonedMonthKey } from '../zoned-time.ts';
import { boardEmbed, monthLabel } from './leaderboard-view.ts';

const TOP = 10;
const PERIODS: readonly LeaderboardPeriod[] = ['month', 'all'];

/** The `period` option: 'month' (default) or 'all'; anything else is refused. */
export function periodOption(interaction: ChatInputCommandInteraction): LeaderboardPeriod {
  const value = interaction.options.getString('period') ?? 'month';
  if (!(PERIODS as readonly string[]).includes(value)) throw new UserError('invalid_input', 'Pick a period from the list: this month or all time.');
  return value as LeaderboardPeriod;
}

export interface BoardReply {
  /** e.g. "Challenge leaderboard" or "Leaderboard". */
  name: string;
  source?: PointsSource;
  timeZone: string;
  period: LeaderboardPeriod;
  /** What the points are, for the footer. */
  what: string;
}

export async function replyWithBoard(interaction: ChatInputCommandInteraction, deps: Deps, board: BoardReply): Promise<void> {
  const now = deps.clock.now();
  const q = { period: board.period, source: board.source, timeZone: board.timeZone, now };
  const rows = await leaderboard(deps.db, { ...q, limit: TOP });
  const you = await rankOf(deps.db, interaction.user.id, q);
  const when = board.period === 'month' ? monthLabel(zonedMonthKey(now, board.timeZone)) : 'All time';
  const embed = boardEmbed({
    title: `🏆 ${board.name} · ${when}`,
    rows,
    empty: board.period === 'month' ? 'Nobody has points this month yet.' : 'Nobody has points yet.',
    footer: `${board.what}. Equal points: whoever reached them first ranks first.`,
    you,
  });
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}
