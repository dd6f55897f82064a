import type { APIEmbed } from 'discord.js';
import type { Draft } from './ask-modal.ts';

/** Discord rejects an embed whose description is longer than this. */
export const EMBED_DESCRIPTION_MAX = 4096;
const CUT_NOTE = '\n*(code shortened to fit: paste the rest in the thread)*';
const OPEN = '```\n';
const CLOSE = '\n```';

/** A fence inside the member's code would end the block early: a zero-width space breaks it up. */
export const escapeFences = (code: string): string => code.replaceAll('```', '`\u200b``');

/** Cuts to at most `max` UTF-16 units without leaving half a surrogate pair (a broken emoji). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}

/**
 * Pure: the question's body, then its code in a closed code block, always within 4096 characters.
 * The body (at most 4000) is kept whole; the code gets what room is left and is cut with a visible
 * note when it does not fit, so the member knows to paste the rest.
 */
export function questionDescription(draft: Pick<Draft, 'body' | 'code'>): { text: string; codeCut: boolean } {
  const body = cut(draft.body, EMBED_DESCRIPTION_MAX);
  if (!draft.code) return { text: body, codeCut: false };
  const code = escapeFences(draft.code);
  const whole = `${body}\n\n${OPEN}${code}${CLOSE}`;
  if (whole.length <= EMBED_DESCRIPTION_MAX) return { text: whole, codeCut: false };
  const room = EMBED_DESCRIPTION_MAX - body.length - 2 - OPEN.length - CLOSE.length - CUT_NOTE.length;
  if (room < 20) return { text: `${body}${CUT_NOTE}`.slice(0, EMBED_DESCRIPTION_MAX), codeCut: true };
  // A cut right after a backtick could rejoin a broken fence; trailing backticks go.
  return { text: `${body}\n\n${OPEN}${cut(code, room).replace(/`+$/, '')}${CLOSE}${CUT_NOTE}`, codeCut: true };
}

export interface Asker {
  id: string;
  name: string;
  avatarUrl: string;
}

/** The question as the thread's first message shows it, crediting the asker. Mentions in embeds never ping. */
export function questionEmbed(draft: Draft, topics: readonly string[], asker: Asker, now: number): { embed: APIEmbed; codeCut: boolean } {
  const { text, codeCut } = questionDescription(draft);
  const embed: APIEmbed = {
    title: draft.title,
    description: text,
    color: 0x5865f2,
    author: { name: cut(asker.name, 256), icon_url: asker.avatarUrl },
    fields: [
      { name: 'Asked by', value: `<@${asker.id}>`, inline: true },
      { name: topics.length > 1 ? 'Topics' : 'Topic', value: topics.join(', '), inline: true },
    ],
    footer: { text: 'Answer in this thread. The asker marks the answer that solved it.' },
    timestamp: new Date(now).toISOString(),
  };
  return { embed, codeCut };
}
