import { Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import type { BotRig } from '../rigs/bot.ts';
import { until } from '../qa/thread-fixtures.ts';
import { at, CHANNEL, credit, listenForDeletes, restartApp, runJob, startLeaderboardRig } from './leaderboard-harness.ts';

const { ada, brian, tess } = SAMPLE.users;
const TZ = 'Europe/Berlin';
const NOV = at('2026-11-10T12:00:00Z');

type Embed = { title: string; description: string; fields?: { name: string; value: string }[] };
const sent = (rig: BotRig, method: string) => rig.discord.requests.filter((r) => r.method === method && r.path.includes(`/channels/${CHANNEL}/messages`));
const boards = (rig: BotRig) => rig.discord.state.messagesIn(CHANNEL).filter((m) => String((m.embeds as Embed[])[0]?.title ?? '').startsWith('🏆 Leaderboard'));
const only = (rig: BotRig) => {
  const list = boards(rig);
  expect(list).toHaveLength(1);
  return { id: list[0]!.id as string, embed: (list[0]!.embeds as Embed[])[0]!, mentions: list[0]!.mentions };
};
const run = (app: App, now: number) => runJob(app, 'challenge-leaderboard', now);

describe('one leaderboard message in the challenge channel, edited instead of reposted', () => {
  it('posts once, edits only when the board changed, survives a restart, and rolls over with the month', async () => {
    const rig = await startLeaderboardRig({ timeZone: TZ });
    let second: App | undefined;
    try {
      const first = rig.app;
      expect(await run(first, NOV)).toBe('created');
      const { id } = only(rig);
      expect(only(rig).embed).toMatchObject({ title: '🏆 Leaderboard · November 2026', description: expect.stringContaining('No challenge points yet') });
      expect(await run(first, NOV + 60_000)).toBe('unchanged');

      await credit(first, ada, 10, at('2026-11-05T10:00:00Z'));
      await credit(first, brian, 10, at('2026-11-03T10:00:00Z')); // same points, accepted earlier: ranks first
      await credit(first, tess, 99, at('2026-11-04T10:00:00Z'), 'qa_solution'); // not a challenge point
      expect(await run(first, NOV + 120_000)).toBe('edited');
      expect(only(rig)).toMatchObject({ id, embed: { description: `🥇 <@${brian}> · 10 pts\n🥈 <@${ada}> · 10 pts` }, mentions: [] });
      const patch = sent(rig, 'PATCH').at(-1)!;
      expect(patch.path).toBe(`/api/v10${Routes.channelMessage(CHANNEL, id)}`);
      expect(patch.body).toMatchObject({ allowed_mentions: { parse: [] } });
      expect(await run(first, NOV + 180_000)).toBe('unchanged');

      // A new process: the stored id and hash are what it knows. Nothing changed, so nothing is sent.
      second = await restartApp(rig);
      const before = rig.discord.requests.length;
      expect(await run(second, NOV + 240_000)).toBe('unchanged');
      expect(rig.discord.requests.slice(before).filter((r) => r.path.includes(`/channels/${CHANNEL}/`))).toEqual([]);
      await credit(second, tess, 5, at('2026-11-09T10:00:00Z'));
      expect(await run(second, NOV + 300_000)).toBe('edited');
      expect(only(rig).id).toBe(id);
      expect(only(rig).embed.description).toContain(`🥉 <@${tess}> · 5 pts`);
      // 23:59:59 CET on 30 November, then midnight: the board turns to December.
      expect(await run(second, at('2026-11-30T22:59:59Z'))).toBe('unchanged');
      expect(await run(second, at('2026-11-30T23:00:00Z'))).toBe('edited');
      expect(only(rig)).toMatchObject({ id, embed: { title: '🏆 Leaderboard · December 2026', description: expect.stringContaining('No challenge points yet') } });
      expect(sent(rig, 'POST')).toHaveLength(1);
    } finally {
      await second?.stop();
      await rig.stop();
    }
  });
});

describe('a deleted leaderboard message is replaced, once', () => {
  it('posts a new one when an edit meets "Unknown Message", or at once when the deletion was seen', async () => {
    const rig = await startLeaderboardRig({ timeZone: 'UTC' });
    try {
      listenForDeletes(rig.app);
      expect(await run(rig.app, NOV)).toBe('created');
      const firstId = only(rig).id;
      // Deleted while the bot was offline (no gateway event): found out at the next edit.
      rig.discord.state.deleteMessage(CHANNEL, firstId);
      await credit(rig.app, ada, 3, NOV - 1000);
      expect(await run(rig.app, NOV + 60_000)).toBe('created');
      const secondId = only(rig).id;
      expect(secondId).not.toBe(firstId);
      expect(only(rig).embed.description).toBe(`🥇 <@${ada}> · 3 pts`);

      // Deleted by a moderator while the bot watches: forgotten at once, reposted with the same content.
      await rig.app.client.rest.delete(Routes.channelMessage(CHANNEL, secondId));
      await until(async () => !(await rig.app.db.selectFrom('leaderboard_messages').select('message_id').where('message_id', '=', secondId).executeTakeFirst()));
      expect(await run(rig.app, NOV + 120_000)).toBe('created');
      expect(only(rig).embed.description).toBe(`🥇 <@${ada}> · 3 pts`);
      expect(await run(rig.app, NOV + 180_000)).toBe('unchanged');
    } finally {
      await rig.stop();
    }
  });

  it('a crash after Discord accepted the post does not leave a second message (nonce)', async () => {
    const rig = await startLeaderboardRig({ timeZone: 'UTC' });
    try {
      expect(await run(rig.app, NOV)).toBe('created');
      const posted = sent(rig, 'POST').at(-1)!;
      const { nonce } = posted.body as { nonce: string; enforce_nonce: boolean };
      expect(posted.body).toMatchObject({ enforce_nonce: true });
      // As if the process died between Discord's answer and storing the id.
      await rig.app.db.updateTable('leaderboard_messages').set({ message_id: null, nonce, content_hash: null }).execute();
      expect(await run(rig.app, NOV + 60_000)).toBe('created');
      expect((sent(rig, 'POST').at(-1)!.body as { nonce: string }).nonce).toBe(nonce);
      expect(boards(rig)).toHaveLength(1);
      expect(await rig.app.db.selectFrom('leaderboard_messages').select('message_id').executeTakeFirst()).toEqual({ message_id: only(rig).id });
    } finally {
      await rig.stop();
    }
  });
});
