// /challenge create and /challenge edit (moderators): options -> ui_state -> the form -> one
// transaction that writes the challenge and its audit row. A refused form keeps what was typed
// behind a "Fix the form" button, so a typo in a date does not cost the whole statement.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { Deps } from '../discord/command.ts';
import { NO_PINGS } from '../discord/respond.ts';
import { customId, deleteUiState, loadUiState, saveUiState } from '../discord/ui-state.ts';
import { UserError } from '../discord/user-error.ts';
import { challengesOf, requireModerator } from './challenge-access.ts';
import { ALL_FORM_FIELDS, challengeModal, formText, type FormField } from './challenge-forms.ts';
import { checkSettings, formatLocalDateTime, parseEntryRule, type EntryRule, type FormText } from './challenge-input.ts';
import { editableFields, nextChallengeState, requireOk, when } from './challenge-state.ts';
import { findChallenge } from './challenges-repo.ts';
import { createChallenge, editChallenge, type Settings } from './challenge-write.ts';

export const RETRY_PREFIX = 'ch-retry';
const KIND = 'challenge-form';
const TTL = 60 * 60_000;

interface FormState {
  mode: 'create' | 'edit';
  challengeId?: number;
  fields: FormField[];
  settings: Settings;
  /** What was typed last, when the form was refused. */
  values?: FormText;
}

const FIELD_COLUMN = { title: 'title', statement: 'statement', rules: 'rules', start: 'starts_at', deadline: 'deadline_at' } as const;

function readSettings(interaction: ChatInputCommandInteraction, deps: Deps): Settings {
  const tiersText = interaction.options.getString('tiers');
  const settings: Settings = {
    points: interaction.options.getInteger('points') ?? undefined,
    bestBonus: interaction.options.getInteger('best_bonus') ?? undefined,
    judges: interaction.options.getInteger('judges') ?? undefined,
    entryRule: tiersText === null ? undefined : parseEntryRule(tiersText, deps.tiers),
  };
  checkSettings(settings);
  return settings;
}

export async function startCreate(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const setup = challengesOf(deps);
  requireModerator(interaction);
  const typed = readSettings(interaction, deps);
  const entryRule: EntryRule = typed.entryRule ?? { openTo: 'members', tiers: null };
  const settings: Settings = { points: typed.points ?? 0, bestBonus: typed.bestBonus ?? 0, judges: typed.judges ?? 1, entryRule };
  const state: FormState = { mode: 'create', fields: [...ALL_FORM_FIELDS], settings };
  const id = await saveUiState(deps.db, { kind: KIND, ownerId: interaction.user.id, payload: state, now: deps.clock.now(), ttlMs: TTL });
  await interaction.showModal(challengeModal(id, 'New challenge', state.fields, {}, setup.timezone));
}

export async function startEdit(interaction: ChatInputCommandInteraction, deps: Deps): Promise<void> {
  const setup = challengesOf(deps);
  requireModerator(interaction);
  const c = await findChallenge(deps.db, interaction.options.getInteger('challenge', true));
  if (!c) throw new UserError('not_found', 'There is no challenge with that number: see /challenge list.');
  const settings = readSettings(interaction, deps);
  const settingFields = ([['points', 'points'], ['bestBonus', 'best_bonus'], ['judges', 'judges_required'], ['entryRule', 'tiers']] as const).filter(([k]) => settings[k] !== undefined).map(([, f]) => f);
  // Refuse settings the state no longer allows before the moderator types anything.
  requireOk(nextChallengeState(c, { kind: 'edit', fields: settingFields }));
  const allowed = editableFields(c.state);
  const fields = ALL_FORM_FIELDS.filter((f) => allowed.includes(FIELD_COLUMN[f]));
  const values: FormText = {
    title: c.title, statement: c.statement, rules: c.rules,
    start: formatLocalDateTime(c.starts_at, setup.timezone), deadline: formatLocalDateTime(c.deadline_at, setup.timezone),
  };
  const state: FormState = { mode: 'edit', challengeId: c.id, fields, settings };
  const id = await saveUiState(deps.db, { kind: KIND, ownerId: interaction.user.id, payload: state, now: deps.clock.now(), ttlMs: TTL });
  await interaction.showModal(challengeModal(id, `Edit #${c.id}: ${c.title}`, fields, values, setup.timezone));
}

async function loadForm(deps: Deps, stateId: string, userId: string) {
  const state = await loadUiState<FormState>(deps.db, stateId, KIND, deps.clock.now());
  if (!state || state.ownerId !== userId) throw new UserError('expired', 'The form expired: run the command again.');
  return state;
}

export async function submitForm(interaction: ModalSubmitInteraction, stateId: string, deps: Deps): Promise<void> {
  const setup = challengesOf(deps);
  requireModerator(interaction);
  const { payload: form } = await loadForm(deps, stateId, interaction.user.id);
  const values = formText(interaction, form.fields);
  const actor = interaction.user.id;
  let reply: string;
  try {
    reply =
      form.mode === 'create'
        ? await created(await createChallenge(deps, setup, values, form.settings, actor))
        : await editChallenge(deps, setup, form.challengeId!, values, form.settings, actor);
  } catch (error) {
    if (!(error instanceof UserError) || error.code !== 'invalid_input') throw error;
    await deps.db.updateTable('ui_state').set({ payload: JSON.stringify({ ...form, values }) }).where('id', '=', stateId).execute();
    const fix = new ButtonBuilder().setCustomId(customId(RETRY_PREFIX, stateId)).setLabel('Fix the form').setStyle(ButtonStyle.Primary);
    await interaction.reply({
      content: `${error.detail ?? 'That input did not work.'}\nNothing was saved. Press **Fix the form** to correct it; what you typed is kept for an hour.`,
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(fix)],
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return;
  }
  await deleteUiState(deps.db, stateId);
  deps.outbox.kick();
  await interaction.reply({ content: reply, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });

  async function created(c: { id: number; title: string; starts_at: number; deadline_at: number }) {
    return `Challenge #${c.id} **${c.title}** is scheduled: it is announced in <#${setup.channelId}> ${when(c.starts_at)} (${when(c.starts_at, 'R')}) and closes ${when(c.deadline_at)}. Change it with \`/challenge edit\`.`;
  }
}

export async function retryForm(interaction: ButtonInteraction, stateId: string, deps: Deps): Promise<void> {
  const setup = challengesOf(deps);
  requireModerator(interaction);
  const { payload: form } = await loadForm(deps, stateId, interaction.user.id);
  const heading = form.mode === 'create' ? 'New challenge' : `Edit challenge #${form.challengeId}`;
  await interaction.showModal(challengeModal(stateId, heading, form.fields, form.values ?? {}, setup.timezone));
}
