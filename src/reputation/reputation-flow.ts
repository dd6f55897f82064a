// /top and /rank. Both answer privately: /top is filtered by what the viewer's tier may see, and
// a member's standing is theirs to share.
import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { decide } from '../membership/entitlement.ts';
import { loadSources } from '../membership/member-sync.ts';
import { rankOf } from './rank.ts';
import { rankView, topView, type TopItem } from './reputation-views.ts';
import { topContent, TOP_PERIODS, type TopPeriod } from './top-content.ts';

export const TOP_LIMIT = 10;
export const POST_KINDS = ['article', 'tutorial', 'code', 'career', 'other'] as const;

export async function topCommand(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  if (!deps.posts) throw new UserError('wrong_place', 'Member posts are not switched on in this server. An admin turns them on by setting CONTENT_CHANNEL_ID.');
  if (!interaction.inGuild()) throw new UserError('wrong_place', 'Use /top in the community server.');
  const period = (interaction.options.getString('period') ?? 'month') as TopPeriod;
  const kind = interaction.options.getString('kind');
  if (!TOP_PERIODS.includes(period) || (kind !== null && !(POST_KINDS as readonly string[]).includes(kind))) throw new UserError('invalid_input', 'Pick the period and kind from the lists.');
  const now = deps.clock.now();
  const visible = await audienceFilter(interaction, deps, now);
  const entries = await topContent(deps.db, { period, kind, now, limit: TOP_LIMIT, settings: deps.reputation.value, visible });
  const posts = entries.length
    ? await deps.db.selectFrom('posts').select(['id', 'title', 'published_channel_id', 'published_message_id']).where('id', 'in', entries.map((e) => e.postId)).execute()
    : [];
  const byId = new Map(posts.map((p) => [p.id, p]));
  const items: TopItem[] = entries.map((e) => {
    const post = byId.get(e.postId);
    const link = post?.published_channel_id && post.published_message_id ? `https://discord.com/channels/${deps.config.guildId}/${post.published_channel_id}/${post.published_message_id}` : null;
    return { ...e, title: post?.title ?? `Post ${e.postId}`, link };
  });
  await interaction.reply({ ...topView(items, period, kind), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

/**
 * Posts for a minimum tier are listed only to members of that tier or above (and moderators):
 * even a title can be part of what members pay for. An audience naming a tier that no longer
 * exists is hidden rather than guessed.
 */
async function audienceFilter(interaction: ChatInputCommandInteraction, deps: Deps, now: number): Promise<(tier: string | null) => boolean> {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)) return () => true;
  const viewer = decide(await loadSources(deps.db, interaction.user.id), deps.tiers, now, deps.policy).tier;
  return (tier) => {
    if (tier === null) return true;
    const needed = deps.tiers.byName(tier);
    return needed !== undefined && viewer !== null && viewer.rank >= needed.rank;
  };
}

export async function rankCommand(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const user = interaction.options.getUser('member') ?? interaction.user;
  if (user.bot) throw new UserError('invalid_input', 'Bots do not earn reputation: pick a member.');
  const summary = await rankOf(deps.db, user.id, deps.clock.now(), deps.reputation.levels);
  const name = user.globalName ?? user.username;
  await interaction.reply({ ...rankView(summary, name, deps.reputation), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}
