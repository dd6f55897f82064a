import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReputationSetup, ReputationConfigError } from '../../src/reputation/reputation-config.ts';

describe('the reputation file', () => {
  it('parses reputation.example.json as shipped', () => {
    const setup = parseReputationSetup(JSON.parse(readFileSync(new URL('../../reputation.example.json', import.meta.url), 'utf8')), ['100000000000000001']);
    expect(setup).toMatchObject({ minAccountAgeDays: 7, value: { m: 5, halfLifeDays: 30 }, levels: { base: 50, exponent: 1.5, max: 100 }, dailyCaps: { rating: 30, challenge: null } });
    expect(setup.rewardRoles).toHaveLength(2);
  });

  it('applies the defaults without a file, and refuses a tier role as a reward role', () => {
    expect(parseReputationSetup({}, [])).toMatchObject({ points: { postApproved: 15 }, dailyCaps: { qa_solution: 100, post_approved: 45, rating: 30, challenge: null }, rewardRoles: [] });
    const bad = () => parseReputationSetup({ rewardRoles: [{ level: 2, roleId: '100000000000000001' }] }, ['100000000000000001']);
    expect(bad).toThrow(ReputationConfigError);
    expect(bad).toThrow('rewardRoles uses role 100000000000000001, which is a tier role: reward roles must be separate');
  });
});
