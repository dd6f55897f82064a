// Real, timestamp-based snowflakes: discord.js derives createdTimestamp from them, and
// @discordjs/rest only recognises 17-19 digit ids as major parameters of a rate-limit bucket.
export const DISCORD_EPOCH = 1_420_070_400_000n;

export class SnowflakeGenerator {
  private increment = 0n;
  private lastMs = 0n;

  constructor(private readonly now: () => number = Date.now) {}

  /** A new, strictly increasing id for "now". */
  next(): string {
    let ms = BigInt(this.now());
    // Keep ids unique and increasing even when many share a millisecond or the clock steps back.
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      this.increment += 1n;
      if (this.increment > 0xfffn) {
        ms += 1n;
        this.increment = 0n;
      }
    } else {
      this.increment = 0n;
    }
    this.lastMs = ms;
    return compose(ms, this.increment);
  }
}

/** The smallest id of a given moment, e.g. for `after`/`before` pagination. */
export function snowflakeAt(ms: number): string {
  return compose(BigInt(ms), 0n);
}

export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compose(ms: bigint, increment: bigint): string {
  const workerId = 1n;
  return (((ms - DISCORD_EPOCH) << 22n) | (workerId << 17n) | increment).toString();
}
