import { ComponentType, ModalBuilder, TextInputStyle, type ModalSubmitInteraction } from 'discord.js';
import { z } from 'zod';
import { customId } from '../discord/ui-state.ts';
import { UserError } from '../discord/user-error.ts';

/** A thread name holds at most 100 characters; a modal text input at most 4000. */
export const LIMITS = { title: 100, body: 4000, code: 4000 } as const;
export const ASK_MODAL_ID = customId('ask');

/** What the member typed, before topics are chosen. */
export interface Draft {
  title: string;
  body: string;
  code: string | null;
}

export function askModal(): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(ASK_MODAL_ID)
    .setTitle('Ask the experts')
    .addLabelComponents(
      (l) =>
        l
          .setLabel('Title')
          .setDescription('One line that sums up the question')
          .setTextInputComponent((t) => t.setCustomId('title').setStyle(TextInputStyle.Short).setMaxLength(LIMITS.title).setRequired(true)),
      (l) =>
        l
          .setLabel('Your question')
          .setDescription('What you tried, what you expected, what happened')
          .setTextInputComponent((t) => t.setCustomId('question').setStyle(TextInputStyle.Paragraph).setMaxLength(LIMITS.body).setRequired(true)),
      (l) =>
        l
          .setLabel('Code (optional)')
          .setDescription('Shown in a code block')
          .setTextInputComponent((t) => t.setCustomId('code').setStyle(TextInputStyle.Paragraph).setMaxLength(LIMITS.code).setRequired(false)),
    );
}

// Discord enforces the lengths in its own form, but a modal submission is client input: check again.
const schema = z.object({
  title: z.string().trim().min(1, 'The title is empty: give your question a one-line title.'),
  body: z.string().trim().min(1, 'The question is empty: describe what you want to know.'),
  // Code keeps its indentation: only blank lines around it go.
  code: z.string().transform((c) => c.replace(/^\s*\n/, '').trimEnd() || null),
});

function checkLength(value: string, max: number, what: string): void {
  if (value.length > max) throw new UserError('invalid_input', `${what} is too long (${value.length} characters; at most ${max}). Shorten it and run /ask again.`);
}

/** Validates a submission; every refusal says which field and what to do. */
export function parseDraft(fields: { title: string; question: string; code: string }): Draft {
  const result = schema.safeParse({ title: fields.title, body: fields.question, code: fields.code });
  if (!result.success) throw new UserError('invalid_input', result.error.issues[0]!.message);
  const draft = result.data;
  checkLength(draft.title, LIMITS.title, 'The title');
  checkLength(draft.body, LIMITS.body, 'The question');
  if (draft.code !== null) checkLength(draft.code, LIMITS.code, 'The code');
  return draft;
}

/** The typed values; a field Discord left out (an untouched optional input) reads as empty. */
export function draftFields(interaction: ModalSubmitInteraction): { title: string; question: string; code: string } {
  const value = (id: string) => {
    const field = interaction.fields.fields.get(id);
    return field?.type === ComponentType.TextInput ? field.value : '';
  };
  return { title: value('title'), question: value('question'), code: value('code') };
}
