// The post form: title, body, optional link and kind (a select inside the modal), for new posts and
// for edits (pre-filled). Every submission is validated again here: a modal is client input.
import { ComponentType, ModalBuilder, TextInputStyle, type ModalSubmitInteraction } from 'discord.js';
import { z } from 'zod';
import type { PostKind } from '../db/schema-posts.ts';
import { customId } from '../discord/ui-state.ts';
import { UserError } from '../discord/user-error.ts';
import type { PostsSetup } from './posts-config.ts';

export const KINDS: readonly { value: PostKind; label: string }[] = [
  { value: 'article', label: 'Article' },
  { value: 'tutorial', label: 'Tutorial' },
  { value: 'code', label: 'Code example' },
  { value: 'career', label: 'Career note' },
  { value: 'other', label: 'Other' },
];

export const kindLabel = (kind: string) => KINDS.find((k) => k.value === kind)?.label ?? kind;

/** What a member wrote. */
export interface PostText {
  title: string;
  body: string;
  link: string | null;
  kind: PostKind;
}

export const LINK_MAX = 512;

/** The form; pre-filled for an edit or for fixing a refused submission (values cut to what Discord accepts). */
export function postModal(modalId: string, limits: PostsSetup['limits'], prefill?: Partial<PostText>, title = prefill ? 'Edit your post' : 'Write a post'): ModalBuilder {
  const kind = prefill?.kind;
  return new ModalBuilder()
    .setCustomId(modalId)
    .setTitle(title)
    .addLabelComponents(
      (l) => l.setLabel('Title').setTextInputComponent((t) => {
        t.setCustomId('title').setStyle(TextInputStyle.Short).setMaxLength(limits.titleMax).setRequired(true);
        return prefill?.title ? t.setValue(prefill.title.slice(0, limits.titleMax)) : t;
      }),
      (l) => l.setLabel('Text').setDescription(`${limits.bodyMin}-${limits.bodyMax} characters; Markdown works`).setTextInputComponent((t) => {
        t.setCustomId('body').setStyle(TextInputStyle.Paragraph).setMinLength(limits.bodyMin).setMaxLength(limits.bodyMax).setRequired(true);
        return prefill?.body ? t.setValue(prefill.body.slice(0, limits.bodyMax)) : t;
      }),
      (l) => l.setLabel('Link (optional)').setDescription('https://… to the full article, repository or demo').setTextInputComponent((t) => {
        t.setCustomId('link').setStyle(TextInputStyle.Short).setMaxLength(LINK_MAX).setRequired(false);
        return prefill?.link ? t.setValue(prefill.link.slice(0, LINK_MAX)) : t;
      }),
      (l) => l.setLabel('Kind').setStringSelectMenuComponent((s) =>
        s.setCustomId('kind').setMinValues(1).setMaxValues(1).setRequired(true)
          .addOptions(KINDS.map((k) => ({ label: k.label, value: k.value, default: k.value === kind }))),
      ),
    );
}

export const NEW_POST_MODAL = customId('post-new');

const httpLink = z
  .string()
  .trim()
  .transform((s) => s || null)
  .refine((s) => s === null || isHttp(s), 'The link must be a web address starting with http:// or https:// (other schemes such as javascript: are not allowed).');

function isHttp(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

const schema = z.object({
  title: z.string().trim().min(1, 'The title is empty: give your post a title.'),
  body: z.string().trim().min(1, 'The text is empty: write your post.'),
  link: httpLink,
  kind: z.enum(['article', 'tutorial', 'code', 'career', 'other'], { message: 'Pick what kind of post it is.' }),
});

/** Validates a submission against the community's limits; each refusal names the field and the fix. */
export function parsePostText(fields: { title: string; body: string; link: string; kind: string }, limits: PostsSetup['limits']): PostText {
  const result = schema.safeParse(fields);
  if (!result.success) throw new UserError('invalid_input', result.error.issues[0]!.message);
  const text = result.data;
  if (text.title.length > limits.titleMax) throw new UserError('invalid_input', `The title is too long (${text.title.length} characters; at most ${limits.titleMax}).`);
  if (text.body.length > limits.bodyMax) throw new UserError('invalid_input', `The text is too long (${text.body.length} characters; at most ${limits.bodyMax}).`);
  if (text.body.length < limits.bodyMin) throw new UserError('invalid_input', `The text is too short (${text.body.length} characters; at least ${limits.bodyMin}). Say a little more.`);
  if (text.link !== null && text.link.length > LINK_MAX) throw new UserError('invalid_input', `The link is too long (at most ${LINK_MAX} characters).`);
  return text;
}

/** The submitted values; a field Discord left out (an untouched optional input) reads as empty. */
export function postFields(interaction: ModalSubmitInteraction): { title: string; body: string; link: string; kind: string } {
  const field = (id: string) => interaction.fields.fields.get(id);
  const text = (id: string) => {
    const f = field(id);
    return f?.type === ComponentType.TextInput ? f.value : '';
  };
  const kind = field('kind');
  return { title: text('title'), body: text('body'), link: text('link'), kind: kind?.type === ComponentType.StringSelect ? (kind.values[0] ?? '') : '' };
}
