import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { creditPoints, reversePoints } from '../../src/qa/points.ts';
import { applyLevels, reputationJobs, type LevelsJobDeps } from '../../src/reputation/levels-job.ts';
import { parseReputationSetup } from '../../src/reputation/reputation-config.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { captureLogs } from '../rigs/logs.ts';

const { ada, brian } = SAMPLE.users;
const { contributor, veteran, champion } = SAMPLE.roles;
const AT = Date.UTC(2026, 10, 25, 12);
// Level n needs round(10 · n^1.5): level 1 = 10, level 5 = 112.
const SETUP = { levels: { base: 10, exponent: 1.5, max: 100 }, rewardRoles: [{ level: 1, roleId: contributor }, { level: 5, roleId: veteran }] };

describe('levels job: reward roles through the outbox, exactly once', () => {
  let t: TestDatabase;
  let deps: LevelsJobDeps;
  let kicks = 0;
  beforeEach(async () => {
    t = await freshDatabase();
    kicks = 0;
    deps = { db: t.db, reputation: parseReputationSetup(SETUP, []), clock: { now: () => AT }, logger: captureLogs([]).logger, outbox: { kick: () => void kicks++ } };
  });
  afterEach(() => t.cleanup());

  const credit = (memberId: string, amount: number, ref: string) => creditPoints(t.db, { memberId, amount, source: 'qa_solution', ref, at: AT });
  const queued = () =>
    t.db.selectFrom('outbox').select(['kind', 'discord_user_id', 'role_id', 'status', 'reason']).where('source', '=', 'reputation:levels').orderBy('id').execute();
  const level = (memberId: string) => t.db.selectFrom('reputation_levels').select(['level', 'role_ids']).where('member_id', '=', memberId).executeTakeFirst();

  it('queues the reward role once when a level is crossed, the next one later, and a removal when a reversal drops the level', async () => {
    expect(await applyLevels(deps)).toMatchObject({ members: 0, roleChanges: 0 });
    await credit(ada, 12, 'q:1');
    await credit(brian, 5, 'q:2');
    expect(await applyLevels(deps)).toMatchObject({ members: 2, roleChanges: 1 });
    expect(await queued()).toEqual([{ kind: 'role_add', discord_user_id: ada, role_id: contributor, status: 'pending', reason: 'Reached reputation level 1' }]);
    expect(kicks).toBe(1);
    expect(await level(ada)).toEqual({ level: 1, role_ids: JSON.stringify([contributor]) });
    expect(await level(brian)).toBeUndefined(); // level 0, nothing to remember

    // Nothing new in the ledger: nothing queued, however often it runs.
    expect(await applyLevels(deps)).toMatchObject({ members: 0, roleChanges: 0 });
    await credit(ada, 100, 'q:3'); // 112: level 5
    await applyLevels(deps);
    expect((await queued()).slice(1)).toEqual([{ kind: 'role_add', discord_user_id: ada, role_id: veteran, status: 'pending', reason: 'Reached reputation level 5' }]);

    await reversePoints(t.db, 'qa_solution', 'q:3', AT);
    await applyLevels(deps);
    expect((await queued()).slice(2)).toEqual([{ kind: 'role_remove', discord_user_id: ada, role_id: veteran, status: 'pending', reason: 'Fell below reputation level 5' }]);
    expect(await level(ada)).toEqual({ level: 1, role_ids: JSON.stringify([contributor]) });
    expect(await queued()).toHaveLength(3);
  });

  it('reads the ledger in batches past its watermark, and a restarted process (new connection) queues nothing twice', async () => {
    for (let i = 0; i < 25; i++) await credit(String(1_300_000_000_000_200_000n + BigInt(i)), 10 + i, `q:${i}`);
    const run = await applyLevels(deps, 7); // 4 batches of 7 ledger rows
    expect(run).toMatchObject({ members: 25, roleChanges: 25 });
    const watermark = await t.db.selectFrom('reputation_watermarks').select('last_id').executeTakeFirstOrThrow();
    expect(watermark.last_id).toBe(25);

    const again = openDatabase(t.path);
    try {
      expect(await applyLevels({ ...deps, db: again })).toMatchObject({ members: 0, roleChanges: 0 });
    } finally {
      await again.destroy();
    }
    expect(await queued()).toHaveLength(25);
  });

  it('two runs at once, in one process or two, queue each change once', async () => {
    await credit(ada, 12, 'q:1');
    const runs = await Promise.all([applyLevels(deps), applyLevels(deps)]);
    expect(runs.map((r) => r.roleChanges).sort()).toEqual([0, 1]);
    await credit(ada, 100, 'q:2');
    const other = openDatabase(t.path);
    try {
      // A second process: its run either finds the work done or fails on the write lock (retried at the next tick).
      const settled = await Promise.allSettled([applyLevels(deps), applyLevels({ ...deps, db: other })]);
      expect(settled.some((s) => s.status === 'fulfilled' && s.value.roleChanges === 1)).toBe(true);
    } finally {
      await other.destroy();
    }
    expect((await queued()).map((r) => r.role_id)).toEqual([contributor, veteran]);
  });

  it('new settings re-level everyone: a new reward role is handed out, a role taken out of the list is left alone', async () => {
    await credit(ada, 12, 'q:1');
    await applyLevels(deps);
    deps = { ...deps, reputation: parseReputationSetup({ ...SETUP, rewardRoles: [{ level: 1, roleId: champion }] }, []) };
    expect(await applyLevels(deps)).toMatchObject({ members: 1, roleChanges: 1 });
    expect((await queued()).map((r) => [r.kind, r.role_id])).toEqual([['role_add', contributor], ['role_add', champion]]);
    expect(await level(ada)).toEqual({ level: 1, role_ids: JSON.stringify([champion]) });
  });

  it('is a Job for the scheduler', () => {
    expect(reputationJobs(deps).map((j) => [j.name, j.cron])).toEqual([['reputation-levels', '*/15 * * * * *']]);
  });
});
