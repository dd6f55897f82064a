// How one figure and its week-over-week change read: counts, rates (as percentages, changes in
// percentage points), durations and money. A null is "—": an empty denominator or sample, never 0.
import { formatMoney } from './money.ts';

export const NONE = '—';
const MINUS = '−';

const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `${MINUS}${text}` : '±0');

export function count(n: number | null): string {
  return n === null ? NONE : n.toLocaleString('en-US');
}

export function countDelta(now: number | null, before: number | null): string {
  if (now === null || before === null) return '';
  return ` (${signed(now - before, Math.abs(now - before).toLocaleString('en-US'))})`;
}

/** A rate in [0, 1] as a whole percentage; finer when it would round to 0 or 100 but is not. */
export function percent(rate: number | null): string {
  if (rate === null) return NONE;
  const p = rate * 100;
  const rounded = Math.round(p);
  if ((rounded === 0 && p > 0) || (rounded === 100 && p < 100)) return `${p.toFixed(1)}%`;
  return `${rounded}%`;
}

export function percentDelta(now: number | null, before: number | null): string {
  if (now === null || before === null) return '';
  const pp = Math.round((now - before) * 1000) / 10;
  return ` (${signed(pp, `${Math.abs(pp)} pp`)})`;
}

/** 42 → "42 min", 135 → "2 h 15 min", 3000 → "2 d 2 h". */
export function minutes(m: number | null): string {
  if (m === null) return NONE;
  const total = Math.round(m);
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  if (hours < 48) return total % 60 ? `${hours} h ${total % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function minutesDelta(now: number | null, before: number | null): string {
  if (now === null || before === null) return '';
  const d = Math.round(now - before);
  return d === 0 ? ' (±0)' : ` (${d > 0 ? '+' : MINUS}${minutes(Math.abs(d))})`;
}

export function money(minor: number, currency: string): string {
  return formatMoney(minor, currency);
}

export function moneyDelta(now: number, before: number, currency: string): string {
  return ` (${signed(now - before, formatMoney(Math.abs(now - before), currency))})`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "Mon, Nov 23, 2026" in the zone. */
export function day(at: number, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' })));
  return f.format(at);
}

/** "Mon, Nov 23, 2026, 09:00" in the zone. */
export function dayTime(at: number, timeZone: string): string {
  let f = timeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormats.set(timeZone, f);
  }
  return f.format(at);
}

const shortFormats = new Map<string, Intl.DateTimeFormat>();

/** "Nov 23" in the zone: chart labels. */
export function shortDay(at: number, timeZone: string): string {
  let f = shortFormats.get(timeZone);
  if (!f) shortFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' })));
  return f.format(at);
}
