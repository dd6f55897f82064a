// /post new and edits, step by step: form (modal) -> audience menu -> queued. Each step finds its
// state by the id in the custom_id (ui_state or a post id), so a restart in between loses nothing.
import {
  ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, StringSelectMenuBuilder,
  type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction, type RepliableInteraction, type StringSelectMenuInteraction,
} from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { customId, loadUiState, saveUiState } from '../discord/ui-state.ts';
import { memberMessage, UserError } from '../discord/user-error.ts';
import { isModerator, postsOf, requirePoster } from './post-access.ts';
import { channelFor } from './post-messages.ts';
import { KINDS, NEW_POST_MODAL, parsePostText, postFields, postModal, type PostText } from './post-modal.ts';
import { postPorts } from './post-ports.ts';
import { checkPostRate } from './post-rate-limit.ts';
import { submitEdit, submitNew, type Submitted } from './post-submit.ts';
import { findPost, latestVersion } from './posts-repo.ts';
import { audienceLabel } from './review-card.ts';

export const AUDIENCE_PREFIX = 'post-audience';
export const EDIT_FORM_PREFIX = 'post-edit-form';
export const FIX_PREFIX = 'post-fix';
const DRAFT_KIND = 'post-draft';
const FIX_KIND = 'post-fix';
const HOUR = 3_600_000;

/** The server display name; null in DMs (an edit from the DM button keeps the stored name). */
const nameOf = (i: RepliableInteraction) => (i.inCachedGuild() ? i.member.displayName : i.inGuild() ? i.user.displayName : null);
const author = (i: RepliableInteraction) => ({ id: i.user.id, name: nameOf(i), moderator: isModerator(i) });

/** Refuses before the member types anything: not a paying member, or over the rate limit. */
export async function startNew(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const setup = postsOf(deps);
  if (!interaction.inGuild()) throw new UserError('wrong_place', 'Post from the community server.');
  const now = deps.clock.now();
  const moderator = isModerator(interaction);
  await requirePoster(deps, interaction.user.id, moderator, now);
  if (!moderator) await checkPostRate(deps.db, interaction.user.id, setup.rateLimit, now);
  await interaction.showModal(postModal(NEW_POST_MODAL, setup.limits));
}

/** A refused form keeps what the member typed: the reply carries a button that reopens it filled in. */
async function parseOrOfferFix(interaction: ModalSubmitInteraction, deps: Deps, modalId: string): Promise<PostText | null> {
  const fields = postFields(interaction);
  try {
    return parsePostText(fields, postsOf(deps).limits);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const id = await saveUiState(deps.db, { kind: FIX_KIND, ownerId: interaction.user.id, payload: { modalId, fields }, now: deps.clock.now(), ttlMs: HOUR });
    const fix = new ButtonBuilder().setCustomId(customId(FIX_PREFIX, id)).setLabel('Fix it').setStyle(ButtonStyle.Primary);
    await interaction.reply({ content: `${memberMessage(error)} Press **Fix it** to get your text back.`, components: [new ActionRowBuilder<ButtonBuilder>().addComponents(fix)], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return null;
  }
}

export async function reopenForFix(interaction: ButtonInteraction, stateId: string, deps: Deps): Promise<void> {
  const state = await loadUiState<{ modalId: string; fields: Partial<PostText> & { kind: string } }>(deps.db, stateId, FIX_KIND, deps.clock.now());
  if (!state || state.ownerId !== interaction.user.id) throw new UserError('expired', 'Run /post again.');
  const { kind, ...rest } = state.payload.fields;
  const known = KINDS.find((k) => k.value === kind);
  const prefill = { ...rest, ...(known ? { kind: known.value } : {}) };
  await interaction.showModal(postModal(state.payload.modalId, postsOf(deps).limits, prefill, 'Fix your post'));
}

export async function submitNewForm(interaction: ModalSubmitInteraction, deps: Deps): Promise<void> {
  const text = await parseOrOfferFix(interaction, deps, NEW_POST_MODAL);
  if (!text) return;
  const stateId = await saveUiState(deps.db, { kind: DRAFT_KIND, ownerId: interaction.user.id, payload: text, now: deps.clock.now(), ttlMs: HOUR });
  const tiers = [...deps.tiers.list].reverse();
  const menu = new StringSelectMenuBuilder().setCustomId(customId(AUDIENCE_PREFIX, stateId)).setPlaceholder('Who should see it?').addOptions(
    { label: 'All members', value: 'all', description: `Published in the content channel` },
    ...tiers.map((t) => ({ label: audienceLabel(t.name).slice(0, 100), value: t.name })),
  );
  await interaction.reply({
    content: `**${text.title}**\nWho should see it once it is approved? (Drafts last an hour.)`,
    components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  });
}

function confirmation(s: Submitted, deps: Deps, edit: boolean): string {
  const where = `<#${channelFor(postsOf(deps), s.post.audience_tier)}> (${audienceLabel(s.post.audience_tier).toLowerCase()})`;
  const place = `You are **#${s.position}** in the review queue.`;
  const outcome = 'You will get a DM with the outcome (or a private note here, if your DMs are closed).';
  if (edit && (s.post.state === 'published' || s.post.state === 'approved')) {
    return `📨 Your edit of post #${s.post.id} is waiting for review. The published version stays in ${where} until this one is approved. ${place} ${outcome}`;
  }
  return `📨 **${s.version.title}** (post #${s.post.id}) is waiting for review. ${place} Once approved it appears in ${where}. ${outcome}`;
}

export async function chooseAudience(interaction: StringSelectMenuInteraction, stateId: string, deps: Deps): Promise<void> {
  const now = deps.clock.now();
  const state = await loadUiState<PostText>(deps.db, stateId, DRAFT_KIND, now);
  if (!state) throw new UserError('expired', 'Drafts last an hour, or this one was already submitted: /post mine shows your posts.');
  if (state.ownerId !== interaction.user.id) throw new UserError('forbidden', 'This draft belongs to someone else.');
  const value = interaction.values[0] ?? '';
  const tier = value === 'all' ? null : deps.tiers.byName(value);
  if (tier === undefined) throw new UserError('invalid_input', 'That tier no longer exists: pick another audience.');
  // Checked again: the tier may have lapsed since /post.
  await requirePoster(deps, interaction.user.id, isModerator(interaction), now);
  const s = await submitNew(postPorts(deps, interaction.client.rest), { author: author(interaction), text: state.payload, audienceTier: tier?.name ?? null, draftId: stateId });
  await interaction.update({ content: confirmation(s, deps, false), components: [], allowedMentions: NO_PINGS });
}

/** /post edit and the "Edit and resubmit" button of a DM: the form, filled with the latest version. */
export async function startEdit(interaction: ChatInputCommandInteraction | ButtonInteraction, postId: number, deps: Deps): Promise<void> {
  const setup = postsOf(deps);
  const post = await findPost(deps.db, postId);
  if (!post) throw new UserError('not_found', `There is no post #${postId}. /post mine lists yours.`);
  if (post.author_id !== interaction.user.id) throw new UserError('forbidden', 'Only its author can edit a post.');
  if (!isModerator(interaction)) await checkPostRate(deps.db, interaction.user.id, setup.rateLimit, deps.clock.now());
  const latest = await latestVersion(deps.db, post.id);
  await interaction.showModal(postModal(customId(EDIT_FORM_PREFIX, String(post.id)), setup.limits, latest));
}

export async function submitEditForm(interaction: ModalSubmitInteraction, postId: number, deps: Deps): Promise<void> {
  const text = await parseOrOfferFix(interaction, deps, customId(EDIT_FORM_PREFIX, String(postId)));
  if (!text) return;
  const s = await submitEdit(postPorts(deps, interaction.client.rest), { postId, author: author(interaction), text });
  await interaction.reply({ content: confirmation(s, deps, true), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}
