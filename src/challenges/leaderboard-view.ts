// Pure rendering of a leaderboard as an embed, shared by the edited challenge message and the
// /challenge leaderboard and /leaderboard replies. Members show as <@id> mentions (Discord renders
// their names); every body carries allowed_mentions { parse: [] }, so nobody is ever pinged.
import { createHash } from 'node:crypto';
import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { RankedRow } from '../reputation/leaderboard.ts';

const MEDALS = ['🥇', '🥈', '🥉'];
const GOLD = 0xf1c40f;

export interface BoardView {
  /** Starts with "🏆 Leaderboard" for the channel message. */
  title: string;
  rows: readonly RankedRow[];
  /** Shown when nobody has points yet. */
  empty: string;
  footer: string;
  /** The caller's place (replies only): undefined = not shown, null = no points yet. */
  you?: RankedRow | null;
  /** Last month's champion, shown under the board. */
  champion?: { month: string; memberId: string; points: number } | null;
}

/** "2026-11" -> "November 2026". */
export function monthLabel(monthKey: string): string {
  const [year, month] = monthKey.split('-').map(Number);
  return new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year!, month! - 1, 1));
}

const points = (n: number) => `${n} ${n === 1 ? 'pt' : 'pts'}`;

export function boardLine(row: RankedRow): string {
  return `${MEDALS[row.rank - 1] ?? `**${row.rank}.**`} <@${row.memberId}> · ${points(row.points)}`;
}

export function boardEmbed(view: BoardView): APIEmbed {
  const fields: NonNullable<APIEmbed['fields']> = [];
  if (view.you !== undefined) {
    fields.push({ name: 'You', value: view.you ? `#${view.you.rank} with ${points(view.you.points)}` : 'No points in this period yet.' });
  }
  if (view.champion) fields.push({ name: `Champion of ${monthLabel(view.champion.month)}`, value: `👑 <@${view.champion.memberId}> · ${points(view.champion.points)}` });
  return {
    title: view.title,
    description: view.rows.length ? view.rows.map(boardLine).join('\n') : view.empty,
    color: GOLD,
    ...(fields.length ? { fields } : {}),
    footer: { text: view.footer },
  };
}

/** The channel message body: one embed, pinging nobody. */
export function boardMessage(view: BoardView): RESTPostAPIChannelMessageJSONBody {
  return { embeds: [boardEmbed(view)], allowed_mentions: { parse: [] } };
}

/** What decides whether the message needs an edit: same hash, same message. */
export function contentHash(body: RESTPostAPIChannelMessageJSONBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}
