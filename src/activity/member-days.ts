// One member's activity_member_days rows (per UTC day: first and last interaction), and the one
// question they answer exactly on their own: any interaction in a window of at least a day (see
// ActivityMemberDaysTable for why). /me's streak reads a year of them in one index range.
import type { Db } from '../db/database.ts';
import { DAY_MS, dayOf } from './rows.ts';

export interface MemberDay {
  day: number;
  first_at: number;
  last_at: number;
}

/** The member's rows for the days that [from, to) touches, oldest first. */
export async function memberDays(db: Db, userId: string, from: number, to: number): Promise<MemberDay[]> {
  if (!(from < to)) return [];
  return db
    .selectFrom('activity_member_days')
    .select(['day', 'first_at', 'last_at'])
    .where('user_id', '=', userId)
    .where('day', '>=', dayOf(from))
    .where('day', '<=', dayOf(to - 1))
    .orderBy('day')
    .execute();
}

/** Whether the rows hold an interaction in [from, to); the window must be at least a day long. */
export function anyInteractionIn(days: readonly MemberDay[], from: number, to: number): boolean {
  if (!(to - from >= DAY_MS)) throw new RangeError(`anyInteractionIn: a window shorter than a day cannot be answered from day rows: [${from}, ${to})`);
  return days.some((d) => d.last_at >= from && d.first_at < to);
}
