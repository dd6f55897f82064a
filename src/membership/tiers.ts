import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord role id (17-20 digits): Server Settings -> Roles -> right-click -> Copy Role ID');

const tierSchema = z.object({
  name: z.string().trim().min(1, 'is empty').max(50, 'is longer than 50 characters'),
  roleId: snowflake,
  priceIds: z.array(z.string().regex(/^price_\w+$/, 'must be Stripe price ids (price_…)')).min(1, 'needs at least one price id; the first is the one /join sells'),
  rank: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
  perks: z.array(z.string().trim().min(1)).default([]),
  lifetime: z.boolean().default(false),
});

export type Tier = Readonly<z.infer<typeof tierSchema>>;

export interface Tiers {
  /** Highest rank first. */
  readonly list: readonly Tier[];
  byName(name: string): Tier | undefined;
  byPrice(priceId: string): Tier | undefined;
  /** The roles Guildhall manages: it never touches any other role. */
  readonly managedRoleIds: ReadonlySet<string>;
  /** The tier /join sells when none is named. */
  readonly lowest: Tier;
}

export class TiersError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid tiers file:\n${problems.join('\n')}`);
    this.name = 'TiersError';
  }
}

/** Validates the parsed JSON; every problem is one line naming the tier and field. */
export function parseTiers(json: unknown): Tiers {
  const result = z.array(tierSchema).min(1, 'must list at least one tier').safeParse(json);
  if (!result.success) {
    throw new TiersError(
      result.error.issues.map((i) => {
        const [index, field, ...rest] = i.path;
        const name = typeof index === 'number' ? (json as { name?: string }[])[index]?.name : undefined;
        const where = typeof index === 'number' ? `tier ${index + 1}${name ? ` ("${name}")` : ''}` : 'the file';
        return `${where}${field === undefined ? '' : ` ${String(field)}`}${rest.length ? `[${rest.join('.')}]` : ''} ${i.message}`;
      }),
    );
  }
  const list = [...result.data].sort((a, b) => b.rank - a.rank);
  const problems: string[] = [];
  const seen = (key: (t: Tier) => string[], label: string) => {
    const owners = new Map<string, string>();
    for (const tier of list) {
      for (const k of key(tier)) {
        const other = owners.get(k);
        if (other) problems.push(`tiers "${other}" and "${tier.name}" share the ${label} ${k}; each must be unique`);
        owners.set(k, tier.name);
      }
    }
  };
  seen((t) => [t.name.toLowerCase()], 'name');
  seen((t) => [t.roleId], 'role');
  seen((t) => t.priceIds, 'price');
  seen((t) => [String(t.rank)], 'rank');
  if (problems.length) throw new TiersError(problems);

  const byPrice = new Map(list.flatMap((t) => t.priceIds.map((p) => [p, t] as const)));
  return Object.freeze({
    list,
    byName: (name: string) => list.find((t) => t.name.toLowerCase() === name.trim().toLowerCase()),
    byPrice: (priceId: string) => byPrice.get(priceId),
    managedRoleIds: new Set(list.map((t) => t.roleId)),
    lowest: list.at(-1)!,
  });
}

export async function loadTiers(path: string): Promise<Tiers> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new TiersError([`${path} cannot be read. Copy tiers.example.json to tiers.json (or set TIERS_FILE) and fill in your roles and prices.`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TiersError([`${path} is not valid JSON: ${(error as Error).message}`]);
  }
  return parseTiers(json);
}
