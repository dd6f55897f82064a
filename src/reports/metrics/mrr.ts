// MRR and its movement over W, exact until the final half-up rounding.
import { contributionAt, type MemberTimeline } from './member-timeline.ts';
import { type Amounts, amountOf } from './money.ts';
import { compare, isZero, type Rational, RationalSum, roundHalfUp, sub, times } from './rational.ts';
import { WEEK } from './time.ts';
import type { Metrics, MrrMovement } from './types.ts';

export type MovementKind = keyof MrrMovement;
const KINDS: readonly MovementKind[] = ['new', 'reactivated', 'churned', 'expansion', 'contraction'];

export interface ExactMrr {
  /** MRR at asOf − 7d and at asOf, per currency. */
  before: Map<string, Rational>;
  after: Map<string, Rational>;
  movement: Map<string, Record<MovementKind, Rational>>;
}

type Sums = Map<string, RationalSum>;

const values = (sums: Sums) => new Map([...sums].map(([c, s]) => [c, s.value()] as const));

function addTo(sums: Sums, currency: string, amount: Rational): void {
  let sum = sums.get(currency);
  if (!sum) sums.set(currency, (sum = new RationalSum()));
  sum.add(amount);
}

/** Each member's contribution m0 at asOf − 7d against m1 at asOf, currency by currency. */
export function exactMrr(timelines: readonly MemberTimeline[], asOf: number): ExactMrr {
  const weekStart = asOf - WEEK;
  const before: Sums = new Map();
  const after: Sums = new Map();
  const moves = new Map<string, Record<MovementKind, RationalSum>>();
  const move = (currency: string, kind: MovementKind, amount: Rational) => {
    let m = moves.get(currency);
    if (!m) moves.set(currency, (m = { new: new RationalSum(), reactivated: new RationalSum(), churned: new RationalSum(), expansion: new RationalSum(), contraction: new RationalSum() }));
    m[kind].add(amount);
  };
  // The usual member pays the same amounts object at both instants (states of the same items share
  // it): no movement. Such members are counted per object and multiplied once, exactly, at the end.
  const unchanged = new Map<Amounts, number>();
  for (const tl of timelines) {
    if (tl.firstContributionAt === null || tl.firstContributionAt > asOf) continue; // nothing at T0 nor at asOf
    const m0 = contributionAt(tl, weekStart);
    const m1 = contributionAt(tl, asOf);
    if (m0 === m1) {
      unchanged.set(m1, (unchanged.get(m1) ?? 0) + 1);
      continue;
    }
    const hadBefore = tl.firstContributionAt < weekStart;
    for (const currency of new Set([...m0.keys(), ...m1.keys()])) {
      const a0 = amountOf(m0, currency);
      const a1 = amountOf(m1, currency);
      if (!isZero(a0)) addTo(before, currency, a0);
      if (!isZero(a1)) addTo(after, currency, a1);
      const c = compare(a0, a1);
      if (isZero(a0) && !isZero(a1)) move(currency, hadBefore ? 'reactivated' : 'new', a1);
      else if (!isZero(a0) && isZero(a1)) move(currency, 'churned', a0);
      else if (c < 0) move(currency, 'expansion', sub(a1, a0));
      else if (c > 0) move(currency, 'contraction', sub(a0, a1));
    }
  }
  for (const [amounts, count] of unchanged) {
    for (const [currency, amount] of amounts) {
      const total = times(amount, count);
      addTo(before, currency, total);
      addTo(after, currency, total);
    }
  }
  const movement = new Map([...moves].map(([currency, m]) => [currency, Object.fromEntries(KINDS.map((k) => [k, m[k].value()])) as Record<MovementKind, Rational>] as const));
  return { before: values(before), after: values(after), movement };
}

const sorted = <V>(map: Map<string, V>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function mrrMetrics(timelines: readonly MemberTimeline[], asOf: number): Pick<Metrics, 'mrr' | 'mrr_movement'> {
  const exact = exactMrr(timelines, asOf);
  const mrr: Record<string, number> = {};
  for (const [currency, total] of sorted(exact.after)) if (!isZero(total)) mrr[currency] = roundHalfUp(total);
  const movement: Record<string, MrrMovement> = {};
  for (const [currency, m] of sorted(exact.movement)) {
    if (KINDS.every((k) => isZero(m[k]))) continue;
    movement[currency] = { new: roundHalfUp(m.new), reactivated: roundHalfUp(m.reactivated), churned: roundHalfUp(m.churned), expansion: roundHalfUp(m.expansion), contraction: roundHalfUp(m.contraction) };
  }
  return { mrr, mrr_movement: movement };
}
