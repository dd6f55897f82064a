// The Solved tag on a question's forum post, and unarchiving: direct REST calls after the commit
// that decided them. A failure is logged and reported to the caller; the database stays the truth
// (search, stats and the jobs read it), and /reopen or marking again re-applies the tag.
import { ChannelType, Routes, type APIGuildForumTag, type REST } from 'discord.js';
import type { Logger } from '../logging/logger.ts';
import { SOLVED_TAG, tagIdsFor } from './forum-tags.ts';

/** Discord allows at most 5 tags on a forum post. */
export const MAX_APPLIED_TAGS = 5;

interface ThreadInfo {
  parent_id?: string | null;
  applied_tags?: string[];
  thread_metadata?: { archived?: boolean; locked?: boolean };
}

/**
 * Pure: the post's tags with Solved added (topic tags kept; when the post already holds 5, the
 * last topic tag makes room) or removed.
 */
export function withSolvedTag(applied: readonly string[], solvedId: string, solved: boolean): string[] {
  const others = applied.filter((id) => id !== solvedId);
  return solved ? [...others.slice(0, MAX_APPLIED_TAGS - 1), solvedId] : others;
}

/**
 * Adds or removes the forum's Solved tag (found by name, so an admin may rename nothing else) and
 * unarchives the thread when it is archived: Discord refuses edits to an archived thread unless the
 * same request unarchives it. Returns false when Discord refused (logged).
 */
export async function setSolvedTag(ports: { rest: REST; logger: Logger }, threadId: string, solved: boolean): Promise<boolean> {
  const log = ports.logger.child({ threadId, solved });
  try {
    const thread = (await ports.rest.get(Routes.channel(threadId))) as ThreadInfo;
    const body: { applied_tags?: string[]; archived?: boolean } = {};
    if (thread.thread_metadata?.archived) body.archived = false;
    const parent = thread.parent_id ? ((await ports.rest.get(Routes.channel(thread.parent_id))) as { type: number; available_tags?: APIGuildForumTag[] }) : undefined;
    if (parent && (parent.type === ChannelType.GuildForum || parent.type === ChannelType.GuildMedia)) {
      const [solvedId] = tagIdsFor(parent.available_tags ?? [], [SOLVED_TAG]);
      if (!solvedId) log.warn({ forumId: thread.parent_id }, `Q&A: the forum has no "${SOLVED_TAG}" tag (it is created at startup); restart the bot or add it`);
      else {
        const current = thread.applied_tags ?? [];
        const next = withSolvedTag(current, solvedId, solved);
        if (next.join() !== current.join()) body.applied_tags = next;
      }
    }
    if (Object.keys(body).length === 0) return true;
    await ports.rest.patch(Routes.channel(threadId), { body, reason: solved ? 'Guildhall Q&A: solution marked' : 'Guildhall Q&A: question reopened' });
    return true;
  } catch (error) {
    log.error({ err: error }, 'Q&A: could not update the Solved tag of the question thread');
    return false;
  }
}
