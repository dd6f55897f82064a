// /post unpublish, /post mine and the post picker (autocomplete) for edit and unpublish.
import { sql } from 'kysely';
import { MessageFlags, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { isModerator, postsOf } from './post-access.ts';
import { unpublishPost } from './post-decide.ts';
import { postPorts } from './post-ports.ts';
import { publishNow } from './post-publish.ts';
import { queuePosition, type PostRow } from './posts-repo.ts';

const STATE_WORDS: Record<PostRow['state'], string> = {
  pending: 'waiting for review',
  changes_requested: 'changes requested',
  rejected: 'rejected',
  approved: 'approved, being published',
  published: 'published',
  unpublished: 'unpublished',
};

const jump = (guildId: string, p: Pick<PostRow, 'published_channel_id' | 'published_message_id'>) =>
  p.published_message_id ? ` https://discord.com/channels/${guildId}/${p.published_channel_id}/${p.published_message_id}` : '';

export async function unpublishCommand(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const ports = postPorts(deps, interaction.client.rest);
  const reason = interaction.options.getString('reason')?.trim() || null;
  const d = await unpublishPost(ports, { postId: interaction.options.getInteger('post', true), actorId: interaction.user.id, isModerator: isModerator(interaction), reason });
  const points = d.post.author_id === interaction.user.id ? ' The points it earned (approval and ratings) were taken back.' : ' Its author was told, and the points it earned were taken back.';
  await interaction.reply({ content: `🗑️ Post #${d.post.id} “${d.post.title}” is unpublished: its message is being removed.${points}`, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  await publishNow(ports, d.post.id);
}

/** The member's posts, newest first, with where each one stands. */
export async function minePosts(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  postsOf(deps);
  const posts = await deps.db.selectFrom('posts').selectAll().where('author_id', '=', interaction.user.id).orderBy('id', 'desc').limit(15).execute();
  if (posts.length === 0) {
    await interaction.reply({ content: 'You have no posts yet. /post new writes one.', flags: MessageFlags.Ephemeral });
    return;
  }
  const lines: string[] = [];
  for (const p of posts) {
    let where = STATE_WORDS[p.state];
    if (p.review_version_id !== null) {
      const v = await deps.db.selectFrom('post_versions').select(['id', 'submitted_at', 'status', 'number']).where('id', '=', p.review_version_id).executeTakeFirstOrThrow();
      if (v.status === 'pending') where += p.state === 'pending' ? ` (#${await queuePosition(deps.db, v)} in the queue)` : `; edit v${v.number} waiting for review (#${await queuePosition(deps.db, v)})`;
      if (v.status === 'changes_requested' && p.state !== 'changes_requested') where += `; changes requested on edit v${v.number}`;
    }
    lines.push(`• #${p.id} **${p.title}**: ${where}${jump(deps.config.guildId, p)}`);
  }
  await interaction.reply({ content: ['Your posts (newest first). /post edit changes one; /post unpublish takes one down.', ...lines].join('\n').slice(0, 2000), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

/** Own posts matching what was typed; moderators (unpublish) also see everyone's published posts. */
export async function postChoices(interaction: AutocompleteInteraction, deps: Deps): Promise<void> {
  const typed = String(interaction.options.getFocused()).trim();
  const sub = interaction.options.getSubcommand(false);
  const mod = sub === 'unpublish' && isModerator(interaction);
  let q = deps.db.selectFrom('posts').select(['id', 'title', 'state', 'author_id']);
  q = mod ? q.where((eb) => eb.or([eb('author_id', '=', interaction.user.id), eb('state', '=', 'published')])) : q.where('author_id', '=', interaction.user.id);
  if (sub === 'unpublish') q = q.where('state', 'in', ['approved', 'published']);
  if (/^\d+$/.test(typed)) q = q.where('id', '=', Number(typed));
  else if (typed) q = q.where(sql<boolean>`instr(lower(title), ${typed.toLowerCase()}) > 0`);
  const rows = await q.orderBy('id', 'desc').limit(25).execute();
  const name = (r: (typeof rows)[number]) => {
    const state = ` (${STATE_WORDS[r.state]})`;
    return `#${r.id} ${r.title}`.slice(0, 100 - state.length) + state;
  };
  await interaction.respond(rows.map((r) => ({ name: name(r), value: r.id })));
}
