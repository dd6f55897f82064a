// Pure validation of what moderators type: dates in the community's zone, who may enter, and
// the challenge form. Every refusal says which field and what to do.
import type { ChallengeOpenTo } from '../db/schema-challenges.ts';
import { UserError } from '../discord/user-error.ts';
import type { Tiers } from '../membership/tiers.ts';
import { zonedToUtc } from '../zoned-time.ts';

/** Embed limits: a title holds 256, a description 4096, a field 1024 characters. */
export const LIMITS = { title: 100, statement: 4000, rules: 1000, solution: 4000, link: 500, notes: 1000, cancelReason: 500, reasonText: 500 } as const;
export const SETTINGS = { points: { min: 0, max: 10_000 }, bestBonus: { min: 0, max: 10_000 }, judges: { min: 1, max: 5 } } as const;
export const DATE_FORMAT = 'YYYY-MM-DD HH:MM';

const invalid = (detail: string) => new UserError('invalid_input', detail);

/** "2026-12-01 18:00" read as a wall-clock time in `timeZone` (DST-safe), as UTC milliseconds. */
export function parseLocalDateTime(text: string, timeZone: string, what: string): number {
  // Seconds are optional (HH:MM:SS): moderators never need them, the sandbox demo does.
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  const example = `write it as ${DATE_FORMAT} in ${timeZone} time, e.g. 2026-12-01 18:00`;
  if (!m) throw invalid(`${what} "${text.trim().slice(0, 40)}" is not a date and time: ${example}.`);
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) {
    throw invalid(`${what} "${text.trim()}" is not a real date and time: ${example}.`);
  }
  // DST moves whole hours (or half hours) on minute boundaries, so seconds add plainly.
  return zonedToUtc({ year, month, day, hour, minute }, timeZone) + second * 1000;
}

/** The inverse, for pre-filling the edit form. */
export function formatLocalDateTime(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export interface EntryRule {
  openTo: ChallengeOpenTo;
  /** Canonical tier names when openTo = 'tiers'. */
  tiers: string[] | null;
}

/** The `tiers` option: empty = any paid tier; "everyone"; or tier names separated by commas. */
export function parseEntryRule(text: string | null, tiers: Tiers): EntryRule {
  const typed = (text ?? '').trim();
  if (typed === '' || /^(members|any paid tier)$/i.test(typed)) return { openTo: 'members', tiers: null };
  if (/^everyone$/i.test(typed)) return { openTo: 'everyone', tiers: null };
  const names: string[] = [];
  for (const part of typed.split(',').map((p) => p.trim()).filter(Boolean)) {
    const tier = tiers.byName(part);
    if (!tier) throw invalid(`"${part.slice(0, 50)}" is not a tier. Use "everyone", leave it empty for any paid tier, or name tiers separated by commas: ${tiers.list.map((t) => t.name).join(', ')}.`);
    if (!names.includes(tier.name)) names.push(tier.name);
  }
  return { openTo: 'tiers', tiers: names };
}

export function describeEntryRule(rule: { open_to: ChallengeOpenTo; tiers: string | null }): string {
  if (rule.open_to === 'everyone') return 'everyone';
  if (rule.open_to === 'members') return 'members of any paid tier';
  return `${(JSON.parse(rule.tiers ?? '[]') as string[]).join(', ')} members`;
}

export interface FormText {
  title?: string;
  statement?: string;
  rules?: string;
  start?: string;
  deadline?: string;
}

export interface ParsedForm {
  title?: string;
  statement?: string;
  rules?: string;
  startsAt?: number;
  deadlineAt?: number;
}

function text(value: string | undefined, max: number, what: string, required: boolean): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (required && v === '') throw invalid(`${what} is empty.`);
  if (v.length > max) throw invalid(`${what} is too long (${v.length} characters; at most ${max}).`);
  return v;
}

/**
 * The challenge form, for the fields it shows (an edit of an open challenge has no start). A start
 * already past means "now"; the deadline must be ahead, and after the start.
 */
export function parseChallengeForm(form: FormText, current: { startsAt?: number; deadlineAt?: number }, timeZone: string, now: number): ParsedForm {
  const out: ParsedForm = {
    title: text(form.title, LIMITS.title, 'The title', true),
    statement: text(form.statement, LIMITS.statement, 'The statement', true),
    rules: text(form.rules, LIMITS.rules, 'The rules', false),
  };
  if (form.start !== undefined) out.startsAt = Math.max(now, parseLocalDateTime(form.start, timeZone, 'The start'));
  if (form.deadline !== undefined) {
    out.deadlineAt = parseLocalDateTime(form.deadline, timeZone, 'The deadline');
    if (out.deadlineAt <= now) throw invalid(`The deadline ${form.deadline.trim()} (${timeZone}) is in the past: pick a later one.`);
  }
  const start = out.startsAt ?? current.startsAt;
  const deadline = out.deadlineAt ?? current.deadlineAt;
  if (start !== undefined && deadline !== undefined && start >= deadline) {
    throw invalid(`The start is not before the deadline: the challenge must open before it closes (times in ${timeZone}).`);
  }
  return out;
}

export function checkSettings(s: { points?: number | null; bestBonus?: number | null; judges?: number | null }): void {
  const check = (v: number | null | undefined, r: { min: number; max: number }, what: string) => {
    if (v !== null && v !== undefined && (!Number.isInteger(v) || v < r.min || v > r.max)) throw invalid(`${what} must be a whole number from ${r.min} to ${r.max}.`);
  };
  check(s.points, SETTINGS.points, 'Points');
  check(s.bestBonus, SETTINGS.bestBonus, 'The best-entry bonus');
  check(s.judges, SETTINGS.judges, 'The number of judges');
}
