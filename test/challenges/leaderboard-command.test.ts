import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE, type VisibleReply } from '../../src/sandbox/discord/index.ts';
import type { BotRig } from '../rigs/bot.ts';
import { heldClock } from '../qa/thread-fixtures.ts';
import { at, credit, startLeaderboardRig } from './leaderboard-harness.ts';

const { ada, brian, tess, mo } = SAMPLE.users;
const NOW = at('2026-11-20T12:00:00Z');

type Embed = { title: string; description: string; fields?: { name: string; value: string }[]; footer?: { text: string } };

/** A member runs a command at NOW; returns what they see and the callback body the bot sent. */
async function run(rig: BotRig, userId: string, name: string, options?: Record<string, unknown>) {
  const clock = rig.app.deps.clock as ReturnType<typeof heldClock>;
  const reply: VisibleReply = await clock.at(NOW, () => rig.discord.runCommand({ userId, name, options }).visibleReply());
  const callback = rig.discord.requests.filter((r) => r.method === 'POST' && r.path.includes('/callback')).at(-1)!;
  return { reply, embed: reply.embeds[0] as Embed, sent: (callback.body as { data: { allowed_mentions?: unknown } }).data };
}

describe('/leaderboard and /challenge leaderboard', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startLeaderboardRig({ timeZone: 'UTC' });
    const app = rig.app;
    await credit(app, tess, 30, at('2026-11-04T10:00:00Z'), 'qa_solution');
    await credit(app, ada, 10, at('2026-11-06T10:00:00Z'));
    await credit(app, brian, 4, at('2026-11-02T10:00:00Z'), 'rating');
    await credit(app, brian, 6, at('2026-11-05T10:00:00Z'));
    await credit(app, ada, 50, at('2026-10-06T10:00:00Z'), 'post_approved'); // last month
  });
  afterAll(async () => {
    await rig.stop();
  });

  it('/leaderboard: every source this month, ties by who got there first, the caller\'s own rank, privately, pinging nobody', async () => {
    const { reply, embed, sent } = await run(rig, ada, 'leaderboard');
    expect(reply.ephemeral).toBe(true);
    expect(embed.title).toBe('🏆 Leaderboard · November 2026');
    // Brian and Ada have 10 each: Brian reached 10 on the 5th, Ada on the 6th.
    expect(embed.description).toBe(`🥇 <@${tess}> · 30 pts\n🥈 <@${brian}> · 10 pts\n🥉 <@${ada}> · 10 pts`);
    expect(embed.fields).toEqual([{ name: 'You', value: '#3 with 10 pts' }]);
    expect(sent.allowed_mentions).toEqual({ parse: [] });
  });

  it('/leaderboard period:all counts earlier months', async () => {
    const { embed } = await run(rig, mo, 'leaderboard', { period: 'all' });
    expect(embed.title).toBe('🏆 Leaderboard · All time');
    expect(embed.description.split('\n')[0]).toBe(`🥇 <@${ada}> · 60 pts`);
    expect(embed.fields).toEqual([{ name: 'You', value: 'No points in this period yet.' }]);
  });

  it('/challenge leaderboard: challenge points only', async () => {
    const { reply, embed, sent } = await run(rig, tess, 'challenge', { leaderboard: {} });
    expect(reply.ephemeral).toBe(true);
    expect(embed.title).toBe('🏆 Challenge leaderboard · November 2026');
    expect(embed.description).toBe(`🥇 <@${ada}> · 10 pts\n🥈 <@${brian}> · 6 pts`);
    expect(embed.fields).toEqual([{ name: 'You', value: 'No points in this period yet.' }]);
    expect(sent.allowed_mentions).toEqual({ parse: [] });
    const all = await run(rig, brian, 'challenge', { leaderboard: { period: 'all' } });
    expect(all.embed.fields).toEqual([{ name: 'You', value: '#2 with 6 pts' }]);
  });
});
