import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTiers, parseTiers, TiersError } from '../../src/membership/tiers.ts';
import { SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';
import { testEnv } from '../rigs/env.ts';

const problems = (json: unknown) => {
  try {
    parseTiers(json);
  } catch (error) {
    if (error instanceof TiersError) return error.problems;
    throw error;
  }
  throw new Error('expected the tiers to be rejected');
};

describe('the tiers file', () => {
  it('orders tiers by rank and indexes them by price and name', () => {
    const tiers = parseTiers(SANDBOX_TIERS);
    expect(tiers.list.map((t) => t.name)).toEqual(['Founder', 'Pro', 'Supporter']);
    expect(tiers.lowest.name).toBe('Supporter');
    expect(tiers.byPrice('price_sandbox_supporter_yearly')?.name).toBe('Supporter');
    expect(tiers.byName(' pro ')?.rank).toBe(2);
    expect([...tiers.managedRoleIds]).toHaveLength(3);
  });

  it('the committed tiers.example.json is valid', () => {
    const example = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../tiers.example.json'), 'utf8')) as unknown;
    expect(parseTiers(example).list).toHaveLength(3);
  });

  it('names the tier and the field for every problem', () => {
    const found = problems([{ name: 'Pro', roleId: 'abc', priceIds: [], rank: 1.5 }, { roleId: '100000000000000002', priceIds: ['prod_x'], rank: 2 }]);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tier 1 \("Pro"\) roleId must be a Discord role id/),
        expect.stringMatching(/^tier 1 \("Pro"\) priceIds needs at least one price id/),
        expect.stringMatching(/^tier 1 \("Pro"\) rank must be a whole number/),
        expect.stringMatching(/^tier 2 name/),
        expect.stringMatching(/^tier 2 priceIds\[0\] must be Stripe price ids/),
      ]),
    );
  });

  it('refuses shared roles, prices, names and ranks', () => {
    const base = SANDBOX_TIERS[0]!;
    const found = problems([base, { ...base, name: 'supporter' }]);
    expect(found.join('\n')).toMatch(/share the name/);
    expect(found.join('\n')).toMatch(/share the role/);
    expect(found.join('\n')).toMatch(/share the price/);
    expect(found.join('\n')).toMatch(/share the rank/);
    expect(problems([])).toEqual(['the file must list at least one tier']);
  });

  it('says how to fix a missing or malformed file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-tiers-'));
    await expect(loadTiers(path.join(dir, 'tiers.json'))).rejects.toThrow(/Copy tiers.example.json to tiers.json/);
    writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    await expect(loadTiers(path.join(dir, 'bad.json'))).rejects.toThrow(/is not valid JSON/);
  });

  it('stops `npm start` with exit code 1 and the problem when the tiers file is invalid', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guildhall-tiers-'));
    writeFileSync(path.join(dir, 'tiers.json'), JSON.stringify([{ name: 'Pro', roleId: 'nope', priceIds: ['price_1'], rank: 1 }]));
    const root = path.resolve(import.meta.dirname, '../..');
    const env = { PATH: process.env.PATH, ...testEnv({ TIERS_FILE: path.join(dir, 'tiers.json'), DATABASE_URL: path.join(dir, 'db.sqlite') }) };
    const result = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'src/main.ts')], { cwd: dir, env, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Guildhall cannot start: Invalid tiers file:\ntier 1 \("Pro"\) roleId must be a Discord role id/);
  });
});
