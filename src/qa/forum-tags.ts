import { ChannelType, Routes, type APIGuildForumTag, type REST } from 'discord.js';
import type { Logger } from '../logging/logger.ts';
import type { QaSetup } from './qa-config.ts';

/** The tag a solved question carries (qa-config.ts reserves the name, so no topic can take it). */
export const SOLVED_TAG = 'Solved';

/** Discord's limit on a forum's tags. */
export const MAX_FORUM_TAGS = 20;

export type TagSyncResult =
  | { kind: 'not-a-forum' }
  | { kind: 'synced'; created: string[]; /** Wanted but left out: the forum already holds 20 tags. */ skipped: string[] };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Tag ids for these names, in order; names the forum has no tag for are left out. */
export function tagIdsFor(tags: readonly Pick<APIGuildForumTag, 'id' | 'name'>[], names: readonly string[]): string[] {
  return names.flatMap((name) => tags.find((t) => same(t.name, name))?.id ?? []);
}

/**
 * Pure: the tag list after adding one tag per topic plus "Solved". Existing tags stay first, with
 * their ids and settings (Discord removes tags left out of a PATCH, and threads keep tag ids, so
 * re-creating a tag would strip it from every old post). Tags someone else made are never touched.
 */
export function plannedTags(existing: readonly APIGuildForumTag[], qa: Pick<QaSetup, 'topics'>): { tags: PlannedTag[]; created: string[]; skipped: string[] } {
  const wanted = [...qa.topics.map((t) => t.name), SOLVED_TAG];
  const missing = wanted.filter((name) => !existing.some((t) => same(t.name, name)));
  const room = Math.max(0, MAX_FORUM_TAGS - existing.length);
  const created = missing.slice(0, room);
  const kept: PlannedTag[] = existing.map((t) => ({ id: t.id, name: t.name, moderated: t.moderated, emoji_id: t.emoji_id, emoji_name: t.emoji_name }));
  // "Solved" is applied by the bot only: moderated keeps members from tagging their own post solved.
  const added: PlannedTag[] = created.map((name) => (same(name, SOLVED_TAG) ? { name, moderated: true } : { name }));
  return { tags: [...kept, ...added], created, skipped: missing.slice(room) };
}

export type PlannedTag = Partial<Pick<APIGuildForumTag, 'id' | 'moderated' | 'emoji_id' | 'emoji_name'>> & { name: string };

interface ForumLike {
  type: number;
  available_tags?: APIGuildForumTag[];
}

/**
 * Run once after login: makes the Q&A forum carry one tag per topic and a "Solved" tag, creating
 * only the missing ones (one PATCH, none when nothing is missing). A text channel has no tags:
 * questions become plain threads there, so this does nothing.
 */
export async function syncForumTags(rest: REST, qa: Pick<QaSetup, 'topics' | 'channelId'>, logger: Logger): Promise<TagSyncResult> {
  const channel = (await rest.get(Routes.channel(qa.channelId))) as ForumLike;
  if (channel.type !== ChannelType.GuildForum && channel.type !== ChannelType.GuildMedia) return { kind: 'not-a-forum' };
  const plan = plannedTags(channel.available_tags ?? [], qa);
  if (plan.skipped.length) {
    logger.error(
      { channelId: qa.channelId, skipped: plan.skipped },
      `the Q&A forum already has ${MAX_FORUM_TAGS} tags: remove unused tags in the forum's settings so these topics get theirs, then restart`,
    );
  }
  if (plan.created.length === 0) return { kind: 'synced', created: [], skipped: plan.skipped };
  await rest.patch(Routes.channel(qa.channelId), { body: { available_tags: plan.tags }, reason: 'Guildhall Q&A: tags for the configured topics' });
  logger.info({ channelId: qa.channelId, created: plan.created }, 'created Q&A forum tags');
  return { kind: 'synced', created: plan.created, skipped: plan.skipped };
}
