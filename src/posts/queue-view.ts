// /queue: the pending versions, oldest first with their age; /queue post:<id>: one post's versions
// and audit trail, with a button to reverse its latest decision.
import { ButtonStyle, ComponentType, MessageFlags, type APIActionRowComponent, type APIButtonComponent, type ChatInputCommandInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { customId } from '../discord/ui-state.ts';
import type { DbOrTrx } from '../membership/outbox.ts';
import { postsOf, requireModerator } from './post-access.ts';
import { kindLabel } from './post-modal.ts';
import { nextPost } from './post-state.ts';
import { decisionsOf, factsOf, loadPost, pendingQueue } from './posts-repo.ts';
import { decisionLine, REVERSE_PREFIX, ts, verb } from './review-card.ts';

const SHOWN = 20;

/** Pure: "3 h", "2 d 4 h", "12 min". */
export function age(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export async function queueList(db: DbOrTrx, now: number, modChannelId: string): Promise<string> {
  const { entries, total } = await pendingQueue(db, SHOWN);
  if (total === 0) return '✨ The review queue is empty.';
  const lines = entries.map((e, i) => {
    const edit = e.post.state === 'published' || e.post.state === 'approved' ? `, edit v${e.version.number} of a published post` : e.version.number > 1 ? `, v${e.version.number}` : '';
    return `${i + 1}. #${e.post.id} **${e.version.title}** by <@${e.post.author_id}> (${kindLabel(e.version.kind)}${edit}): waiting ${age(now - e.version.submitted_at)}`;
  });
  const more = total > entries.length ? [`…and ${total - entries.length} more.`] : [];
  return [`**Review queue** (${total} pending, oldest first). Decide on the cards in <#${modChannelId}>; /queue post:<id> shows a post's history.`, ...lines, ...more].join('\n');
}

/** One post's versions and decisions; a Reverse button when its latest decision can be undone. */
export async function postView(db: DbOrTrx, postId: number): Promise<{ content: string; components: APIActionRowComponent<APIButtonComponent>[] }> {
  const { post, review } = await loadPost(db, postId);
  const versions = await db.selectFrom('post_versions').select(['id', 'number', 'status', 'submitted_at', 'decided_at']).where('post_id', '=', postId).orderBy('number').execute();
  const decisions = await decisionsOf(db, postId);
  const lines = [
    `**Post #${post.id}: ${post.title}** by <@${post.author_id}>, now **${post.state}**`,
    `Versions: ${versions.map((v) => `v${v.number} ${v.status} (sent ${ts(v.submitted_at, 'R')})`).join(' · ')}`,
    ...(decisions.length ? ['Decisions:', ...decisions.map((d) => `• #${d.id} v${versions.find((v) => v.id === d.version_id)?.number ?? '?'} ${decisionLine(d).replace(/\n/g, '\n  ')}${d.reverses_id ? ` (reverses #${d.reverses_id})` : ''}${d.reversed_by_id ? ` (reversed by #${d.reversed_by_id})` : ''}`)] : ['No decisions yet.']),
  ];
  const last = decisions.at(-1);
  const reversible = last !== undefined && nextPost(factsOf(post, review), {
    kind: 'reverse', decision: { action: last.action, versionId: last.version_id, byAuthor: last.actor_id === post.author_id }, isLatest: true, actor: { isAuthor: false, isModerator: true },
  }).ok;
  const components: APIActionRowComponent<APIButtonComponent>[] = reversible && last
    ? [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: customId(REVERSE_PREFIX, `${last.id}:view`), label: `Reverse: ${verb(last.action).replace(/^\S+\s/, '')}…`.slice(0, 80) }] }]
    : [];
  return { content: lines.join('\n').slice(0, 2000), components };
}

export async function queueCommand(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const setup = postsOf(deps);
  requireModerator(interaction);
  const postId = interaction.options.getInteger('post');
  if (postId !== null) {
    const view = await postView(deps.db, postId);
    await interaction.reply({ ...view, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return;
  }
  const content = await queueList(deps.db, deps.clock.now(), setup.modChannelId);
  await interaction.reply({ content: content.slice(0, 2000), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}
