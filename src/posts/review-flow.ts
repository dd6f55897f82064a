// The review card's buttons and modals: Approve, Reject… and Request changes… (a reason modal),
// Reverse… (a reason modal, on a decided card or in /queue post:<id>). Every handler re-checks the
// moderator permission server-side and finds its state by the ids in the custom_id.
import { MessageFlags, ModalBuilder, TextInputStyle, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { customId } from '../discord/ui-state.ts';
import { UserError } from '../discord/user-error.ts';
import { requireModerator } from './post-access.ts';
import { alreadyDecided, decideVersion, reverseDecision, type Decided } from './post-decide.ts';
import { postPorts } from './post-ports.ts';
import { publishNow } from './post-publish.ts';
import { findDecision, findVersion, latestDecision } from './posts-repo.ts';
import { postView } from './queue-view.ts';
import { cardFacts } from './review-queue.ts';
import { decisionLine, parseReverseId, parseReviewId, reviewCard, ts, verb, type CardStatus } from './review-card.ts';

export const REASON_PREFIX = 'post-reason';
export const REVERSE_FORM_PREFIX = 'post-reverse-form';
const REASON_MAX = 1000;
const ACTIONS = { approve: 'approve', reject: 'reject', changes: 'request_changes' } as const;

function reasonModal(id: string, title: string, label: string, placeholder: string): ModalBuilder {
  return new ModalBuilder().setCustomId(id).setTitle(title).addLabelComponents((l) =>
    l.setLabel(label).setTextInputComponent((t) => t.setCustomId('reason').setStyle(TextInputStyle.Paragraph).setMinLength(3).setMaxLength(REASON_MAX).setRequired(true).setPlaceholder(placeholder)),
  );
}

function reasonOf(interaction: ModalSubmitInteraction): string {
  const reason = interaction.fields.fields.get('reason');
  const text = reason && 'value' in reason && typeof reason.value === 'string' ? reason.value.trim() : '';
  if (text.length < 3) throw new UserError('invalid_input', 'Give a reason of at least 3 characters: the author reads it.');
  if (text.length > REASON_MAX) throw new UserError('invalid_input', `The reason is too long (at most ${REASON_MAX} characters).`);
  return text;
}

/** The card as it stands after a decision: the decision, disabled buttons and Reverse…. */
async function showDecided(interaction: ButtonInteraction | ModalSubmitInteraction, deps: Deps, d: Decided, status: CardStatus = { kind: 'decided', decision: d.decision }): Promise<void> {
  const card = reviewCard(await cardFacts(deps.db, deps, d.post, d.version, deps.clock.now()), status);
  const { content, embeds, components } = card;
  if (interaction.isButton() || interaction.isFromMessage()) await interaction.update({ content, embeds, components, allowedMentions: NO_PINGS });
  else await interaction.reply({ content: card.content, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
}

export async function reviewButton(interaction: ButtonInteraction, rest: string, deps: Deps): Promise<void> {
  requireModerator(interaction);
  const parsed = parseReviewId(rest);
  if (!parsed) throw new UserError('expired');
  const version = await findVersion(deps.db, parsed.versionId);
  if (!version) throw new UserError('not_found', 'That post version no longer exists.');
  // Before anyone types a reason: a card decided meanwhile says so at once.
  if (version.status !== 'pending') throw await alreadyDecided(deps.db, version);
  if (parsed.action !== 'approve') {
    const reject = parsed.action === 'reject';
    await interaction.showModal(reasonModal(customId(REASON_PREFIX, rest), reject ? 'Reject this post' : 'Request changes', reject ? 'Why? (the author reads this)' : 'What should change? (the author reads this)', reject ? 'Off-topic for this community, …' : 'Add a runnable example, …'));
    return;
  }
  const ports = postPorts(deps, interaction.client.rest);
  const d = await decideVersion(ports, { versionId: version.id, action: 'approve', actorId: interaction.user.id, reason: null });
  try {
    await showDecided(interaction, deps, d);
  } finally {
    // Decided either way: publish now (never throws; the posts-publish job retries what fails).
    await publishNow(ports, d.post.id);
  }
}

export async function reasonSubmitted(interaction: ModalSubmitInteraction, rest: string, deps: Deps): Promise<void> {
  requireModerator(interaction);
  const parsed = parseReviewId(rest);
  if (!parsed || parsed.action === 'approve') throw new UserError('expired');
  const reason = reasonOf(interaction);
  const ports = postPorts(deps, interaction.client.rest);
  const d = await decideVersion(ports, { versionId: parsed.versionId, action: ACTIONS[parsed.action], actorId: interaction.user.id, reason });
  await showDecided(interaction, deps, d);
}

export async function reverseButton(interaction: ButtonInteraction, rest: string, deps: Deps): Promise<void> {
  requireModerator(interaction);
  const parsed = parseReverseId(rest);
  if (!parsed) throw new UserError('expired');
  const decision = await findDecision(deps.db, parsed.decisionId);
  if (!decision) throw new UserError('not_found', 'That decision no longer exists.');
  if (decision.reversed_by_id !== null) throw new UserError('conflict', 'That decision was already reversed: /queue post shows the post\'s history.');
  const latest = await latestDecision(deps.db, decision.post_id);
  if (latest?.id !== decision.id) throw new UserError('conflict', `Only the latest decision on a post can be reversed, and post #${decision.post_id} has had another since: /queue post:${decision.post_id} shows its history.`);
  await interaction.showModal(reasonModal(customId(REVERSE_FORM_PREFIX, rest), `Reverse: ${verb(decision.action).replace(/^\S+\s/, '')}`.slice(0, 45), 'Why reverse it? (kept in the audit trail)', 'Approved by mistake, …'));
}

export async function reverseSubmitted(interaction: ModalSubmitInteraction, rest: string, deps: Deps): Promise<void> {
  requireModerator(interaction);
  const parsed = parseReverseId(rest);
  if (!parsed) throw new UserError('expired');
  const ports = postPorts(deps, interaction.client.rest);
  const d = await reverseDecision(ports, { decisionId: parsed.decisionId, actorId: interaction.user.id, reason: reasonOf(interaction) });
  const next = d.post.state === 'approved' || d.post.state === 'published' ? 'The post is published again.' : 'The version is back in the queue: a new card was posted.';
  try {
    if (parsed.from === 'view' && interaction.isFromMessage()) {
      const view = await postView(deps.db, d.post.id);
      await interaction.update({ ...view, content: `${view.content}\n\n↩️ Reversed. ${next}`.slice(0, 2000), allowedMentions: NO_PINGS });
    } else {
      const line = `${decisionLine(d.reversed)}\n↩️ **Reversed** by <@${d.decision.actor_id}> at ${ts(d.decision.at)}: ${d.decision.reason}\n${next}`;
      await showDecided(interaction, deps, d, { kind: 'closed', line: line.slice(0, 2000) });
    }
  } finally {
    await publishNow(ports, d.post.id);
  }
}
