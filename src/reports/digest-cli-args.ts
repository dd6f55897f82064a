// `npm run digest` arguments. Pure, so every refusal is tested without a database.

export interface DigestArgs {
  /** UTC ms; undefined = the latest DIGEST_CRON time (the week the bot would post now). */
  asOf: number | undefined;
  json: boolean;
  post: boolean;
  chart: string | undefined;
  help: boolean;
}

export const DIGEST_USAGE = `Usage: npm run digest -- [--as-of <ISO instant>] [--json] [--post] [--chart <file.png>]

  --as-of <instant>  End of the week to report, e.g. 2026-11-23T09:00:00+01:00 or 2026-11-23T08:00:00Z.
                     The week is [as-of - 7 days, as-of). Default: the latest DIGEST_CRON time.
  --json             Print the figures as JSON (the names of docs/metrics.md) instead of text.
  --post             Queue the digest (with its chart) for the owners' channel. The bot sends it:
                     at once if it is running, otherwise when it next starts.
  --chart <file>     Also write the chart as a PNG file.
`;

/** An instant needs its offset: a bare date or local time would be read in some other zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export class DigestArgsError extends Error {}

export function parseDigestArgs(argv: readonly string[], now: number): DigestArgs {
  const args: DigestArgs = { asOf: undefined, json: false, post: false, chart: undefined, help: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    if (seen.has(flag)) throw new DigestArgsError(`${flag} is given twice.`);
    seen.add(flag);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new DigestArgsError(`${flag} needs a value.`);
      return v;
    };
    const noValue = () => {
      if (inline !== undefined) throw new DigestArgsError(`${flag} takes no value.`);
    };
    switch (flag) {
      case '--as-of':
        args.asOf = parseInstant(value(), now);
        break;
      case '--json':
        noValue();
        args.json = true;
        break;
      case '--post':
        noValue();
        args.post = true;
        break;
      case '--chart': {
        const file = value();
        if (!/\.png$/i.test(file)) throw new DigestArgsError(`--chart writes a PNG: give a file name ending in .png (got "${file}").`);
        args.chart = file;
        break;
      }
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new DigestArgsError(`unknown argument "${raw}".`);
    }
  }
  return args;
}

function parseInstant(text: string, now: number): number {
  const at = INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new DigestArgsError(`--as-of "${text}" is not an ISO 8601 instant. Give a date, a time and an offset, e.g. 2026-11-23T09:00:00+01:00 or 2026-11-23T08:00:00Z.`);
  }
  if (at > now) throw new DigestArgsError(`--as-of ${new Date(at).toISOString()} is in the future: the week it ends is not over yet. For the week so far, use /stats.`);
  return at;
}
