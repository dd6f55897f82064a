// Pure validation of the entry form: a solution and/or a link (web addresses only), and notes.
import { z } from 'zod';
import { UserError } from '../discord/user-error.ts';
import { LIMITS } from './challenge-input.ts';

const invalid = (detail: string) => new UserError('invalid_input', detail);

export interface EntryText {
  solution: string | null;
  link: string | null;
  notes: string | null;
}

const link = z.string().max(LIMITS.link, `The link is too long (at most ${LIMITS.link} characters).`).refine((v) => {
  try {
    const url = new URL(v);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}, 'The link must be a web address starting with https:// (or http://).');

/** The entry form: a solution and/or a link, and optional notes. */
export function parseEntry(fields: { solution: string; link: string; notes: string }): EntryText {
  // Code keeps its indentation: only blank lines around it go.
  const solution = fields.solution.replace(/^\s*\n/, '').trimEnd();
  const url = fields.link.trim();
  const notes = fields.notes.trim();
  if (solution.length > LIMITS.solution) throw invalid(`The solution is too long (${solution.length} characters; at most ${LIMITS.solution}). Put longer work behind a link.`);
  if (notes.length > LIMITS.notes) throw invalid(`The notes are too long (${notes.length} characters; at most ${LIMITS.notes}).`);
  if (url) {
    const checked = link.safeParse(url);
    if (!checked.success) throw invalid(checked.error.issues[0]!.message);
  }
  if (!solution.trim() && !url) throw invalid('The entry is empty: give a solution, a link to it, or both.');
  return { solution: solution.trim() ? solution : null, link: url || null, notes: notes || null };
}
