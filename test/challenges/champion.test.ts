import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { ChampionDecision } from '../../src/challenges/champion-rotation.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import type { BotRig } from '../rigs/bot.ts';
import { at, CHANNEL, credit, deliverAt, restartApp, runJob, startLeaderboardRig } from './leaderboard-harness.ts';

const { ada, brian, tess } = SAMPLE.users;
const ROLE = SAMPLE.roles.champion;
const TZ = 'America/New_York';

/** The job at a chosen moment, then the outbox delivers what it queued. */
async function rotate(app: App, now: number): Promise<ChampionDecision | null> {
  const decision = (await runJob(app, 'challenge-champion', now)) as ChampionDecision | null;
  await deliverAt(app, now);
  return decision;
}
const holders = (rig: BotRig) => [ada, brian, tess].filter((u) => rig.discord.state.roleIdsOf(u)?.includes(ROLE));
const roleChanges = (app: App) =>
  app.db.selectFrom('outbox').select(['kind', 'discord_user_id', 'source']).where('role_id', '=', ROLE).orderBy('id').execute();

describe('the monthly challenge champion', () => {
  it('rotates once per month on the 1st in the community zone, catches up after downtime, and hands over to nobody', async () => {
    const rig = await startLeaderboardRig({ timeZone: TZ, champion: true });
    let app: App = rig.app;
    try {
      // October (New York): Brian and Ada tie, Brian's entry was accepted first; Tess has mostly Q&A points.
      await credit(app, ada, 10, at('2026-10-05T15:00:00Z'));
      await credit(app, brian, 10, at('2026-10-03T15:00:00Z'));
      await credit(app, tess, 50, at('2026-10-04T15:00:00Z'), 'qa_solution');
      await credit(app, tess, 5, at('2026-11-01T03:59:00Z')); // 23:59 EDT, 31 October
      await credit(app, ada, 5, at('2026-11-01T04:00:00Z')); // 00:00 EDT, 1 November: counts for November
      // 23:58 EDT on 31 October: September is what just ended, and nobody scored in it.
      expect(await rotate(app, at('2026-11-01T03:58:00Z'))).toMatchObject({ month: '2026-09', memberId: null });
      // Midnight EDT, 1 November (the day the clocks go back): October is decided, by the tie-break.
      expect(await rotate(app, at('2026-11-01T04:00:00Z'))).toEqual({ month: '2026-10', memberId: brian, points: 10, removed: [] });
      expect(await rotate(app, at('2026-11-01T04:02:00Z'))).toBeNull();
      expect(holders(rig)).toEqual([brian]);

      // A restart later that day changes nothing.
      app = await restartApp(rig);
      expect(await rotate(app, at('2026-11-01T09:00:00Z'))).toBeNull();
      expect(await roleChanges(app)).toEqual([{ kind: 'role_add', discord_user_id: brian, source: 'champion:2026-10' }]);

      // November: Ada wins. The bot is down over the 1st and comes back on the 3rd: it catches up.
      await credit(app, ada, 20, at('2026-11-21T15:00:00Z'));
      await credit(app, brian, 5, at('2026-11-20T15:00:00Z'));
      expect(await rotate(app, at('2026-12-03T14:00:00Z'))).toEqual({ month: '2026-11', memberId: ada, points: 25, removed: [brian] });
      expect(holders(rig)).toEqual([ada]);

      // December: nobody enters. Ada's reign ends and nobody gets the role.
      expect(await rotate(app, at('2027-01-01T05:00:00Z'))).toEqual({ month: '2026-12', memberId: null, points: null, removed: [ada] });
      expect(holders(rig)).toEqual([]);
      expect(await roleChanges(app)).toEqual([
        { kind: 'role_add', discord_user_id: brian, source: 'champion:2026-10' },
        { kind: 'role_remove', discord_user_id: brian, source: 'champion:2026-11' },
        { kind: 'role_add', discord_user_id: ada, source: 'champion:2026-11' },
        { kind: 'role_remove', discord_user_id: ada, source: 'champion:2026-12' },
      ]);
      expect(await app.db.selectFrom('champions').select(['month', 'member_id']).orderBy('month').execute()).toEqual([
        { month: '2026-09', member_id: null },
        { month: '2026-10', member_id: brian },
        { month: '2026-11', member_id: ada },
        { month: '2026-12', member_id: null },
      ]);
    } finally {
      if (app !== rig.app) await app.stop();
      await rig.stop();
    }
  });

  it('keeps the role on a champion who wins again, and names the champion on the board', async () => {
    const rig = await startLeaderboardRig({ timeZone: 'UTC', champion: true });
    try {
      await credit(rig.app, tess, 10, at('2026-10-10T00:00:00Z'));
      await credit(rig.app, tess, 10, at('2026-11-10T00:00:00Z'));
      await credit(rig.app, ada, 5, at('2026-11-11T00:00:00Z'));
      expect(await rotate(rig.app, at('2026-11-01T00:00:00Z'))).toMatchObject({ memberId: tess });
      expect(await rotate(rig.app, at('2026-12-01T00:00:00Z'))).toMatchObject({ memberId: tess, removed: [] });
      expect(holders(rig)).toEqual([tess]);
      expect((await roleChanges(rig.app)).map((c) => c.kind)).toEqual(['role_add']);
      expect(await runJob(rig.app, 'challenge-leaderboard', at('2026-12-01T00:05:00Z'))).toBe('created');
      const [board] = rig.discord.state.messagesIn(CHANNEL);
      expect((board!.embeds as { fields?: unknown[] }[])[0]!.fields).toEqual([{ name: 'Champion of November 2026', value: `👑 <@${tess}> · 10 pts` }]);
    } finally {
      await rig.stop();
    }
  });
});
