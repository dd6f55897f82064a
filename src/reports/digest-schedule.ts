// Which week a digest belongs to: the most recent DIGEST_CRON fire time (in REPORT_TIMEZONE) at or
// before now. That instant is the digest's asOf and its identity, whenever the job actually runs:
// late (after a restart), twice (two instances) or early by a few ms (timers), it names one week.
import cron from 'node-cron';
import { zonedToUtc } from '../zoned-time.ts';

const DAY = 86_400_000;
/** An annual schedule (e.g. "0 9 1 1 *") still has a fire time within this many days. */
const SEARCH_DAYS = 400;

export interface DigestSchedule {
  /** The latest fire time ≤ at (UTC ms), or null when none lies within SEARCH_DAYS (e.g. "0 9 30 2 *"). */
  latestAtOrBefore(at: number): number | null;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();
function wall(at: number, timeZone: string) {
  let f = wallFormats.get(timeZone);
  if (!f) wallFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })));
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute! };
}

/**
 * Candidate instants come from the expression's own second/minute/hour lists, day by day going
 * back; node-cron's matcher (the one the scheduler fires with) has the last word on each.
 */
export function digestSchedule(expression: string, timeZone: string): DigestSchedule {
  const fields = cron.parse(expression);
  // A task that is never started: only its matcher is used, then it leaves node-cron's registry.
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  const match = (at: number) => task.match(new Date(at));
  void task.destroy();
  const hours = [...fields.hour].sort((a, b) => b - a);
  const minutes = [...fields.minute].sort((a, b) => b - a);
  const seconds = [...fields.second].sort((a, b) => b - a);
  return {
    latestAtOrBefore(at) {
      const today = wall(at, timeZone);
      for (let back = 0; back <= SEARCH_DAYS; back++) {
        const d = new Date(Date.UTC(today.year, today.month - 1, today.day) - back * DAY);
        const date = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
        const found = latestOnDay(date);
        if (found !== null) return found;
      }
      return null;

      function latestOnDay(date: { year: number; month: number; day: number }): number | null {
        for (const hour of hours) {
          const hourStart = zonedToUtc({ ...date, hour }, timeZone);
          const w = wall(hourStart, timeZone);
          // A local hour skipped by DST does not exist that day; node-cron cannot fire in it either.
          if (w.day !== date.day || w.hour !== hour) continue;
          for (const minute of minutes) {
            for (const second of seconds) {
              const t = hourStart + minute * 60_000 + second * 1000;
              if (t > at) continue;
              // The first candidate not in the future decides the day: if it does not match, the
              // day itself (day of month, month or weekday) does not.
              return match(t) ? t : null;
            }
          }
        }
        return null;
      }
    },
  };
}
