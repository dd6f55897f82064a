// Exact money: non-negative rationals of BigInts, rounded half-up to an integer minor unit only at
// the very end, so that totals never drift by a cent whatever the order of the sums.

export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

export const ZERO: Rational = { n: 0n, d: 1n };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rational(n: bigint, d: bigint): Rational {
  if (d === 0n) throw new RangeError('denominator is 0');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d) || 1n;
  return { n: (sign * n) / g, d: (sign * d) / g };
}

export const add = (a: Rational, b: Rational): Rational => (a.d === b.d ? rational(a.n + b.n, a.d) : rational(a.n * b.d + b.n * a.d, a.d * b.d));
export const sub = (a: Rational, b: Rational): Rational => add(a, { n: -b.n, d: b.d });
/** a × k for a whole number k (a count of equal amounts). */
export const times = (a: Rational, k: number): Rational => rational(a.n * BigInt(k), a.d);
export const isZero = (a: Rational): boolean => a.n === 0n;
export const compare = (a: Rational, b: Rational): number => {
  const diff = a.n * b.d - b.n * a.d;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
};
export const equals = (a: Rational, b: Rational): boolean => compare(a, b) === 0;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Half-up: x.5 goes to x + 1 (towards +∞). */
export function roundHalfUp(a: Rational): number {
  return Number(floorDiv(2n * a.n + a.d, 2n * a.d));
}

/** A running sum that adds numerators per denominator (no gcd per step) and reduces once at the end. */
export class RationalSum {
  private readonly parts = new Map<bigint, bigint>();

  add(r: Rational): void {
    this.parts.set(r.d, (this.parts.get(r.d) ?? 0n) + r.n);
  }

  value(): Rational {
    let sum = ZERO;
    for (const [d, n] of this.parts) sum = add(sum, rational(n, d));
    return sum;
  }
}
