// One leaderboard message per channel that the bot edits instead of reposting. The job renders the
// board, and only when its content hash changed does it PATCH the message it stored. It POSTs only
// when there is no message yet or the old one was deleted. The outbox cannot edit messages, so this
// is idempotent by itself: a failed PATCH or POST is tried again at the next run. A POST carries a
// nonce with enforce_nonce and is stored before sending, so a crash after Discord accepted it returns
// the same message on retry and never leaves a second one.
import { randomBytes } from 'node:crypto';
import { DiscordAPIError, RESTJSONErrorCodes, Routes, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { Db } from '../db/database.ts';
import type { Clock } from '../discord/command.ts';
import type { Logger } from '../logging/logger.ts';
import { leaderboard } from '../reputation/leaderboard.ts';
import { startOfZonedMonth, zonedMonthKey } from '../zoned-time.ts';
import type { ChallengeSetup } from './challenge-config.ts';
import { boardMessage, contentHash, monthLabel } from './leaderboard-view.ts';

export const CHALLENGE_BOARD = 'challenge-month';
const TOP = 10;

export interface BoardPorts {
  db: Db;
  rest: REST;
  clock: Clock;
  logger: Logger;
}

export type BoardOutcome = 'created' | 'edited' | 'unchanged';

/** The challenge board of the month containing `now` (community zone), with last month's champion. */
export async function renderChallengeBoard(db: Db, timeZone: string, now: number): Promise<RESTPostAPIChannelMessageJSONBody> {
  const month = zonedMonthKey(now, timeZone);
  const rows = await leaderboard(db, { period: 'month', source: 'challenge', timeZone, now, limit: TOP });
  const lastMonth = zonedMonthKey(startOfZonedMonth(now, timeZone) - 1, timeZone);
  const champion = await db.selectFrom('champions').select(['member_id', 'points']).where('month', '=', lastMonth).executeTakeFirst();
  return boardMessage({
    title: `🏆 Leaderboard · ${monthLabel(month)}`,
    rows,
    empty: 'No challenge points yet this month. Enter a challenge with `/challenge submit` to take the lead!',
    footer: 'Challenge points this month. Equal points: the earlier accepted entry ranks first. /challenge leaderboard shows all time.',
    champion: champion?.member_id ? { month: lastMonth, memberId: champion.member_id, points: champion.points ?? 0 } : null,
  });
}

export async function refreshLeaderboardMessage(ports: BoardPorts, setup: Pick<ChallengeSetup, 'channelId' | 'timezone'>): Promise<BoardOutcome> {
  const now = ports.clock.now();
  const body = await renderChallengeBoard(ports.db, setup.timezone, now);
  const hash = contentHash(body);
  const key = { channel_id: setup.channelId, board: CHALLENGE_BOARD };
  const stored = await ports.db.selectFrom('leaderboard_messages').selectAll().where('channel_id', '=', key.channel_id).where('board', '=', key.board).executeTakeFirst();
  if (stored?.message_id && stored.content_hash === hash) return 'unchanged';
  if (stored?.message_id) {
    try {
      await ports.rest.patch(Routes.channelMessage(setup.channelId, stored.message_id), { body });
      await ports.db.updateTable('leaderboard_messages').set({ content_hash: hash, updated_at: now }).where('channel_id', '=', key.channel_id).where('board', '=', key.board).execute();
      return 'edited';
    } catch (error) {
      if (!(error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage)) throw error;
      ports.logger.warn({ channelId: setup.channelId, messageId: stored.message_id }, 'the leaderboard message was deleted; posting a new one');
    }
  }
  // Keep an unfinished attempt's nonce: if that POST reached Discord, this one returns the same message.
  const nonce = stored?.message_id === null && stored.nonce ? stored.nonce : randomBytes(12).toString('hex');
  await ports.db
    .insertInto('leaderboard_messages')
    .values({ ...key, message_id: null, nonce, content_hash: null, updated_at: now })
    .onConflict((oc) => oc.columns(['channel_id', 'board']).doUpdateSet({ message_id: null, nonce, content_hash: null, updated_at: now }))
    .execute();
  const message = (await ports.rest.post(Routes.channelMessages(setup.channelId), { body: { ...body, nonce, enforce_nonce: true } })) as { id: string };
  await ports.db.updateTable('leaderboard_messages').set({ message_id: message.id, nonce: null, content_hash: hash, updated_at: now }).where('channel_id', '=', key.channel_id).where('board', '=', key.board).execute();
  ports.logger.info({ channelId: setup.channelId, messageId: message.id }, 'leaderboard message posted');
  return 'created';
}

/**
 * Called on MESSAGE_DELETE: if it was a leaderboard message, forget it so the next run posts a new
 * one even when the board did not change. Returns whether it was one.
 */
export async function forgetLeaderboardMessage(db: Db, channelId: string, messageId: string): Promise<boolean> {
  const result = await db.deleteFrom('leaderboard_messages').where('channel_id', '=', channelId).where('message_id', '=', messageId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
