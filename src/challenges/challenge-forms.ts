// The modals: the challenge form (create, edit, or fix after a refusal), the cancel reason, and the
// entry form. A modal holds at most 5 inputs, so points, bonus, judges and tiers are command options.
import { ComponentType, ModalBuilder, TextInputStyle, type LabelBuilder, type ModalSubmitInteraction } from 'discord.js';
import { customId } from '../discord/ui-state.ts';
import { DATE_FORMAT, LIMITS, type FormText } from './challenge-input.ts';

export const FORM_PREFIX = 'ch-form';
export const CANCEL_PREFIX = 'ch-cancel';
export const ENTRY_PREFIX = 'ch-entry';

export type FormField = keyof FormText;
export const ALL_FORM_FIELDS: readonly FormField[] = ['title', 'statement', 'rules', 'start', 'deadline'];

/** Discord allows 45 characters in a modal title. */
const modalTitle = (text: string) => (text.length > 45 ? `${text.slice(0, 44)}…` : text);

type Input = { id: string; label: string; description: string; style: TextInputStyle; max: number; required: boolean; placeholder?: string; value?: string };

function label(l: LabelBuilder, input: Input): LabelBuilder {
  return l
    .setLabel(input.label)
    .setDescription(input.description)
    .setTextInputComponent((t) => {
      t.setCustomId(input.id).setStyle(input.style).setMaxLength(input.max).setRequired(input.required);
      if (input.placeholder) t.setPlaceholder(input.placeholder);
      if (input.value) t.setValue(input.value.slice(0, input.max));
      return t;
    });
}

function build(id: string, title: string, inputs: Input[]): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(id)
    .setTitle(modalTitle(title))
    .addLabelComponents(...inputs.map((input) => (l: LabelBuilder) => label(l, input)));
}

/** The challenge form with the fields this state allows, pre-filled with `values`. */
export function challengeModal(stateId: string, heading: string, fields: readonly FormField[], values: FormText, timeZone: string): ModalBuilder {
  const date = (what: string): Omit<Input, 'id' | 'value'> => ({
    label: `${what} (${DATE_FORMAT})`,
    description: `In ${timeZone} time.${what === 'Start' ? ' A time already past means now.' : ''}`.slice(0, 100),
    style: TextInputStyle.Short,
    max: 19,
    required: true,
    placeholder: what === 'Start' ? '2026-12-01 18:00' : '2026-12-08 18:00',
  });
  const all: Record<FormField, Omit<Input, 'id' | 'value'>> = {
    title: { label: 'Title', description: 'One line, shown in the announcement', style: TextInputStyle.Short, max: LIMITS.title, required: true },
    statement: { label: 'Statement', description: 'The task, as members will read it', style: TextInputStyle.Paragraph, max: LIMITS.statement, required: true },
    rules: { label: 'Rules (optional)', description: 'Languages, limits, what counts', style: TextInputStyle.Paragraph, max: LIMITS.rules, required: false },
    start: date('Start'),
    deadline: date('Deadline'),
  };
  return build(customId(FORM_PREFIX, stateId), heading, fields.map((f) => ({ ...all[f], id: f, value: values[f] })));
}

export function cancelModal(challengeId: number, title: string): ModalBuilder {
  return build(customId(CANCEL_PREFIX, String(challengeId)), `Cancel #${challengeId}: ${title}`, [
    { id: 'reason', label: 'Why is it cancelled?', description: 'Posted in the challenge channel if it was announced', style: TextInputStyle.Paragraph, max: LIMITS.cancelReason, required: true },
  ]);
}

export function entryModal(challengeId: number, title: string, values: { solution?: string | null; link?: string | null; notes?: string | null }): ModalBuilder {
  return build(customId(ENTRY_PREFIX, String(challengeId)), `Enter #${challengeId}: ${title}`, [
    { id: 'solution', label: 'Solution (code or text)', description: 'Only you and the judges see it. Give a solution, a link, or both.', style: TextInputStyle.Paragraph, max: LIMITS.solution, required: false, value: values.solution ?? undefined },
    { id: 'link', label: 'Link (optional)', description: 'A repository, gist or playground: https://…', style: TextInputStyle.Short, max: LIMITS.link, required: false, placeholder: 'https://', value: values.link ?? undefined },
    { id: 'notes', label: 'Notes for the judges (optional)', description: 'How to run it, trade-offs you made', style: TextInputStyle.Paragraph, max: LIMITS.notes, required: false, value: values.notes ?? undefined },
  ]);
}

/** A typed value; undefined when the modal did not have that input (an edit shows fewer fields). */
export function textField(interaction: ModalSubmitInteraction, id: string): string | undefined {
  const field = interaction.fields.fields.get(id);
  return field?.type === ComponentType.TextInput ? field.value : undefined;
}

/** The challenge form's values for the inputs it showed (an untouched optional input reads as empty). */
export function formText(interaction: ModalSubmitInteraction, shown: readonly FormField[]): FormText {
  const out: FormText = {};
  for (const f of shown) out[f] = textField(interaction, f) ?? '';
  return out;
}
