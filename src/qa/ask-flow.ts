import {
  MessageFlags,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { UserError } from '../discord/user-error.ts';
import { claimDraft, dropDraft, loadDraft, releaseDraft, saveDraft, setDraftTopics, type DraftState } from './ask-draft.ts';
import { askModal, draftFields, parseDraft, type Draft } from './ask-modal.ts';
import { checkAskRate } from './ask-rate-limit.ts';
import { chosenTopics, duplicatesView, postedView, topicMenu } from './ask-views.ts';
import { postQuestion } from './post-question.ts';
import type { QaSetup } from './qa-config.ts';
import { similarSolved } from './search.ts';
import { reminderHoursFor, requireAsker } from './who-may-ask.ts';

/**
 * /ask, step by step: modal -> draft (ui_state) -> topic menu -> similar solved questions, or the
 * post. Each step finds its state by the id in the custom_id, so a restart in between loses nothing.
 */

export function qaOf(deps: Pick<Deps, 'qa'>): QaSetup {
  if (!deps.qa) throw new UserError('wrong_place', 'Q&A is not switched on in this server. An admin turns it on by setting QA_CHANNEL_ID and listing the topics in qa.json.');
  return deps.qa;
}

const asker = (interaction: RepliableInteraction) => ({
  userId: interaction.user.id,
  isModerator: interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false,
});

/** Refuses before the member types anything: not allowed, or over the rate limit. */
export async function startAsk(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const qa = qaOf(deps);
  if (!interaction.inGuild()) throw new UserError('wrong_place', 'Ask in the community server.');
  const now = deps.clock.now();
  await requireAsker(deps, qa, asker(interaction), now);
  await checkAskRate(deps.db, interaction.user.id, qa.rateLimit, now);
  await interaction.showModal(askModal());
}

export async function submitAsk(interaction: ModalSubmitInteraction, deps: Deps): Promise<void> {
  const qa = qaOf(deps);
  const draft = parseDraft(draftFields(interaction));
  const stateId = await saveDraft(deps.db, interaction.user.id, draft, deps.clock.now());
  await interaction.reply({
    content: `**${draft.title}**\nWhich topics is it about? Their experts get notified.`,
    components: [topicMenu(qa, stateId)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_PINGS,
  });
}

export async function chooseTopics(interaction: StringSelectMenuInteraction, stateId: string, deps: Deps): Promise<void> {
  const qa = qaOf(deps);
  const draft = await loadDraft(deps.db, stateId, interaction.user.id, deps.clock.now());
  const topics = chosenTopics(qa, interaction.values);
  await setDraftTopics(deps.db, stateId, draft, topics);
  // Search and posting take several round trips: acknowledge first (Discord allows 3 s).
  await interaction.deferUpdate();
  const similar = await similarSolved(deps.db, draft.title, draft.body, 3);
  if (similar.length > 0) {
    await interaction.editReply(duplicatesView(similar, deps.config.guildId, stateId));
    return;
  }
  await post(interaction, stateId, draft, topics, qa, deps);
}

export async function postAnyway(interaction: ButtonInteraction, stateId: string, deps: Deps): Promise<void> {
  const qa = qaOf(deps);
  const draft = await loadDraft(deps.db, stateId, interaction.user.id, deps.clock.now());
  if (!draft.topics?.length) throw new UserError('expired', 'Pick the topics first: run /ask again.');
  const topics = chosenTopics(qa, draft.topics);
  await interaction.deferUpdate();
  await post(interaction, stateId, draft, topics, qa, deps);
}

async function post(
  interaction: StringSelectMenuInteraction | ButtonInteraction,
  stateId: string,
  draft: DraftState,
  topics: string[],
  qa: QaSetup,
  deps: Deps,
): Promise<void> {
  if (!(await claimDraft(deps.db, stateId, deps.clock.now()))) {
    throw new UserError('conflict', 'This question is already being posted: look for it in the Q&A channel.');
  }
  let result;
  try {
    // Checked again: the tier may have lapsed since /ask, and the tier sets the reminder delay.
    const tier = await requireAsker(deps, qa, asker(interaction), deps.clock.now());
    const reminderHours = reminderHoursFor(qa, tier?.name ?? null);
    const content: Draft = { title: draft.title, body: draft.body, code: draft.code };
    const who = { id: interaction.user.id, name: interaction.inCachedGuild() ? interaction.member.displayName : interaction.user.displayName, avatarUrl: interaction.user.displayAvatarURL() };
    const posted = await postQuestion(
      { db: deps.db, rest: interaction.client.rest, qa, guildId: deps.config.guildId, clock: deps.clock, logger: deps.logger, outbox: deps.outbox, activity: deps.activity },
      { draft: content, topics, asker: who, reminderHours },
    );
    result = { posted, reminderHours };
  } catch (error) {
    // Refused or failed: the draft stays usable for another try (the menu or button is still there).
    await releaseDraft(deps.db, stateId);
    throw error;
  }
  await dropDraft(deps.db, stateId);
  await interaction.editReply(postedView(result.posted, topics, result.reminderHours));
}
