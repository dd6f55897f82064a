// /stats (owners) and /me (members) through the real bot and the Discord emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRow } from '../../src/activity/rows.ts';
import { writeActivityBatch } from '../../src/activity/write-batch.ts';
import { withSqlite, type Db } from '../../src/db/database.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { grant } from '../qa/ask-harness.ts';
import { fieldsOf } from '../membership/commands-fixtures.ts';
import { livelyDigest } from './fixtures.ts';

const { ada, brian, mo, tess } = SAMPLE.users;
const ADMIN = { id: '1300000000000000951', username: 'adminka' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let rig: BotRig;
const asked: number[] = [];
beforeAll(async () => {
  rig = await startBotRig({ background: false });
  await rig.discord.addMember(ADMIN, { roles: [SAMPLE.roles.admin] });
  // The lead wires the real ComputeDigest into Deps; here a fixture stands in for it.
  rig.app.deps.reports = { compute: async (asOf) => (asked.push(asOf), livelyDigest(asOf)) };
});
afterAll(() => rig.stop());

const run = async (userId: string, name: string) => {
  const seen = await rig.discord.runCommand({ userId, name }).visibleReply();
  expect(seen.ephemeral).toBe(true);
  return seen;
};

describe('/stats', () => {
  it('refuses members and moderators (server-side), computing nothing', async () => {
    for (const who of [ada, mo]) {
      const seen = await run(who, 'stats');
      expect(seen.content).toMatch(/^You don't have permission to do that\./);
      expect(seen.embeds).toEqual([]);
    }
    expect(asked).toEqual([]);
  });

  it('shows the owner the week so far (asOf = now) with changes, privately', async () => {
    const before = Date.now();
    const seen = await run(SAMPLE.ownerId, 'stats');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThanOrEqual(before);
    const embed = seen.embeds[0] as { title: string };
    expect(embed.title).toBe('The week so far');
    expect(Object.keys(fieldsOf(seen.embeds[0]))).toEqual(['Money', 'Onboarding', 'Engagement', 'Q&A', 'Challenges and content', 'At risk']);
    expect(fieldsOf(seen.embeds[0]).Engagement).toContain('**Weekly active** 25 (+2)');
  });

  it('shows an administrator too', async () => {
    const seen = await run(ADMIN.id, 'stats');
    expect((seen.embeds[0] as { title: string }).title).toBe('The week so far');
  });
});

describe('/me', () => {
  it('shows a member without a tier how to join, and zeros', async () => {
    const fields = fieldsOf((await run(brian, 'me')).embeds[0]);
    expect(fields).toEqual({
      Tier: 'None yet: /join to become a member, /tiers to compare.',
      Points: '0',
      'Activity streak': 'No streak: nothing in the last 7 days. Ask, answer or chat to start one.',
      Contributions: 'Questions asked: 0\nAnswers: 0 (0 accepted solutions)\nChallenge entries: 0\nPosts published: 0',
    });
  });

  it("shows a member's tier, points, weekly streak and contributions", async () => {
    const now = Date.now();
    await grant(rig.app.db, ada, 'Pro');
    await rig.app.db.insertInto('points').values([
      { member_id: ada, amount: 15, source: 'qa_solution', ref: 'question:1:solve', at: now - DAY },
      { member_id: ada, amount: 5, source: 'rating', ref: 'post:1:rating:x', at: now - DAY },
    ]).execute();
    // Interactions 1, 8 and 15 days ago: three weeks in a row. 30 days ago is after a gap; a join is no interaction.
    await hourly(rig.app.db, ada, [now - DAY, now - 8 * DAY, now - 15 * DAY, now - 30 * DAY]);
    await hourly(rig.app.db, ada, [now - 22 * DAY], 'join');
    await contributions(rig.app.db);
    const fields = fieldsOf((await run(ada, 'me')).embeds[0]);
    expect(fields).toEqual({
      Tier: 'Pro',
      Points: '20',
      'Activity streak': '3 weeks in a row with activity',
      Contributions: 'Questions asked: 2\nAnswers: 1 (1 accepted solution)\nChallenge entries: 1\nPosts published: 1',
    });
  });
});

/** Through the activity capture's own write path: raw events and their rollups. */
async function hourly(db: Db, userId: string, instants: number[], kind: 'message' | 'join' = 'message') {
  const rows = instants.map((at) => toRow({ userId, kind, at })!);
  await withSqlite(db, (sqlite) => writeActivityBatch(sqlite, rows));
}

async function contributions(db: Db) {
  const q = (asker: string, state: 'open' | 'solved', solver: string | null) => ({
    channel_id: SAMPLE.channels.forum, asker_id: asker, title: 'How?', body: 'Why?', topics: '[]', state,
    reminder_due_at: 0, created_at: 0, last_activity_at: 0, solution_author_id: solver,
  });
  await db.insertInto('questions').values([q(ada, 'open', null), q(ada, 'solved', tess), q(brian, 'solved', ada)]).execute();
  const solved = await db.selectFrom('questions').select('id').where('asker_id', '=', brian).executeTakeFirstOrThrow();
  await db.insertInto('answers').values({ question_id: solved.id, author_id: ada, message_id: '1300000000000000990', at: 0, is_expert: 0 }).execute();
  const challenge = () => db.insertInto('challenges').values({
    title: 'Parse it', statement: 's', rules: 'r', starts_at: 0, deadline_at: 1, points: 10, best_bonus: 0, open_to: 'everyone', tiers: null,
    judges_required: 1, state: 'judged', created_by: mo, created_at: 0, updated_at: 0, announced_at: null, closed_at: null, judged_at: null, cancelled_at: null, cancel_reason: null,
  }).returning('id').executeTakeFirstOrThrow();
  const entry = async (author: string, state: 'accepted' | 'void') => ({ challenge_id: (await challenge()).id, author_id: author, version: 1, created_at: 0, updated_at: 0, state, result_reasons: null, result_at: null });
  // A void entry (withdrawn or disqualified) is no contribution.
  await db.insertInto('submissions').values([await entry(ada, 'accepted'), await entry(ada, 'void')]).execute();
  const post = (state: 'published' | 'rejected') => ({
    author_id: ada, author_name: 'Ada', kind: 'article' as const, title: 'Notes', audience_tier: null, state, created_at: 0, updated_at: 0,
    published_at: null, published_channel_id: null, published_message_id: null, review_version_id: null, published_version_id: null, points_ref: null, synced_version_id: null,
  });
  await db.insertInto('posts').values([post('published'), post('rejected')]).execute();
}
