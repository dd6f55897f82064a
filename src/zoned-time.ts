// Calendar boundaries in the community's time zone (REPORT_TIMEZONE), as UTC epoch milliseconds.
// Instants are stored and compared in UTC; only days and months are read in the zone, which is
// where DST makes a day 23 or 25 hours long.

interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: number, timeZone: string): WallClock {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The zone's offset from UTC at `at`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The UTC instant when the wall clock in `timeZone` shows the given local time. A local time
 * skipped by a DST jump resolves to the instant just after the jump; a repeated one to its first
 * occurrence.
 */
export function zonedToUtc(local: { year: number; month: number; day: number; hour?: number; minute?: number }, timeZone: string): number {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0);
  // The offsets half a day either side cover any transition near this local time.
  const before = naive - zoneOffsetMs(naive - 43_200_000, timeZone);
  const after = naive - zoneOffsetMs(naive + 43_200_000, timeZone);
  const valid = [before, after].filter((t) => naive - zoneOffsetMs(t, timeZone) === t);
  // Repeated (fall back): the first occurrence. Skipped (spring forward): the instant after the jump.
  return valid.length > 0 ? Math.min(...valid) : before;
}

/** Midnight (local) starting the day that contains `at`. */
export function startOfZonedDay(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return zonedToUtc({ year: w.year, month: w.month, day: w.day }, timeZone);
}

/** Midnight (local) on the 1st of the month that contains `at`, `offset` months later. */
export function startOfZonedMonth(at: number, timeZone: string, offset = 0): number {
  const w = wallClock(at, timeZone);
  const index = w.year * 12 + (w.month - 1) + offset;
  return zonedToUtc({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 }, timeZone);
}

/** "2026-11": the local month containing `at`. */
export function zonedMonthKey(at: number, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}`;
}
