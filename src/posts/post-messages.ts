// What members see: the published post (with its rating row) and the author's outcome DMs.
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { DecisionAction } from '../db/schema-posts.ts';
import { customId } from '../discord/ui-state.ts';
import { ratingRow } from '../reputation/rate-button.ts';
import { kindLabel } from './post-modal.ts';
import type { PostsSetup } from './posts-config.ts';
import type { PostRow, VersionRow } from './posts-repo.ts';
import { audienceLabel } from './review-card.ts';

export const EDIT_PREFIX = 'post-edit';

/** The tier's channel when the audience is a tier that has one; the content channel otherwise. */
export function channelFor(setup: Pick<PostsSetup, 'channelId' | 'tierChannels'>, audienceTier: string | null): string {
  if (audienceTier === null) return setup.channelId;
  const entry = Object.entries(setup.tierChannels).find(([name]) => name.toLowerCase() === audienceTier.toLowerCase());
  return entry ? entry[1] : setup.channelId;
}

/**
 * The published post: an embed that credits the author (by stored name and by id, so it still
 * credits a member who left) and the rating row. The text may hold @everyone or role mentions:
 * embeds never ping, and allowed_mentions parse: [] makes sure the content line cannot either.
 */
export function publishedMessage(post: Pick<PostRow, 'id' | 'author_id' | 'author_name' | 'audience_tier'>, version: Pick<VersionRow, 'title' | 'body' | 'link' | 'kind'>, publishedAt: number): RESTPostAPIChannelMessageJSONBody & { embeds: APIEmbed[] } {
  const embed: APIEmbed = {
    title: version.title.slice(0, 256),
    description: version.body,
    ...(version.link ? { url: version.link } : {}),
    author: { name: post.author_name.slice(0, 256) },
    color: 0x5865f2,
    fields: [
      { name: 'By', value: `<@${post.author_id}>`, inline: true },
      { name: 'Kind', value: kindLabel(version.kind), inline: true },
      { name: 'For', value: audienceLabel(post.audience_tier), inline: true },
      ...(version.link ? [{ name: 'Link', value: version.link }] : []),
    ],
    footer: { text: `Post #${post.id} · rate it below` },
    timestamp: new Date(publishedAt).toISOString(),
  };
  return { content: `New ${kindLabel(version.kind).toLowerCase()} by <@${post.author_id}>`, embeds: [embed], components: [ratingRow(post.id)], allowed_mentions: { parse: [] } };
}

const editButton = (postId: number): APIActionRowComponent<APIButtonComponent> => ({
  type: ComponentType.ActionRow,
  components: [{ type: ComponentType.Button, custom_id: customId(EDIT_PREFIX, String(postId)), label: 'Edit and resubmit', style: ButtonStyle.Primary }],
});

export interface OutcomeInput {
  action: DecisionAction;
  postId: number;
  title: string;
  reason: string | null;
  /** Approvals: where it appears, and the points earned (0 for an approved edit or a full cap). */
  channelId?: string;
  points?: number;
  isEdit?: boolean;
  /** Reversals: what the post is now. */
  now?: 'pending' | 'published';
}

/** The DM telling the author what happened. Rejections and change requests carry the edit button. */
export function outcomeDm(o: OutcomeInput): RESTPostAPIChannelMessageJSONBody {
  const quote = (o.reason ?? '').replace(/\n/g, '\n> ');
  const name = `“${o.title}” (post #${o.postId})`;
  switch (o.action) {
    case 'approve': {
      const where = o.channelId ? ` in <#${o.channelId}>` : '';
      const earned = o.points ? ` You earned ${o.points} points.` : '';
      return { content: o.isEdit ? `✅ Your edit of ${name} was approved: the published post now shows it${where}.` : `✅ Your post ${name} was approved and is published${where}.${earned}` };
    }
    case 'reject':
      return { content: `❌ Your post ${name} was not accepted. The moderators said:\n> ${quote}\nYou can edit it and submit it again.`, components: [editButton(o.postId)] };
    case 'request_changes':
      return { content: `✏️ The moderators asked for changes to ${name}:\n> ${quote}\nPress the button to edit your text and send it back for review.`, components: [editButton(o.postId)] };
    case 'unpublish':
      return { content: `🗑️ Your post ${name} was unpublished by the moderators.${o.reason ? `\n> ${quote}` : ''}` };
    case 'reverse':
      return { content: `↩️ A moderator reversed an earlier decision on ${name}: it is ${o.now === 'published' ? 'published again' : 'back in the review queue'}.${o.reason ? `\n> ${quote}` : ''}` };
  }
}
