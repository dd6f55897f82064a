import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, formatPct } from '../../src/qa/qa-views.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';
import { fieldsOf } from '../membership/commands-fixtures.ts';
import { askQuestion, heldClock, MODERATOR, prepareQa, say, TEST_QA } from './thread-fixtures.ts';

const { ada, brian, tess } = SAMPLE.users;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function grantSupporter(rig: BotRig, userId: string): Promise<void> {
  await rig.app.db.insertInto('grants').values({
    discord_user_id: userId, tier_name: 'Supporter', until: null, granted_by: SAMPLE.ownerId, reason: 'test', created_at: Date.now(), revoked_at: null, revoked_by: null,
  }).execute();
}

describe('formatting', () => {
  it('durations and percentages read naturally, with a dash for none', () => {
    expect([null, 0, 59_000, 45 * 60_000, HOUR, 3 * HOUR + 20 * 60_000, DAY, 2 * DAY + 4 * HOUR].map(formatDuration))
      .toEqual(['—', '0 min', '1 min', '45 min', '1 h', '3 h 20 min', '1 d', '2 d 4 h']);
    expect([null, 0, 66.666, 100].map(formatPct)).toEqual(['—', '0%', '67%', '100%']);
  });
});

describe('/qa search', () => {
  let rig: BotRig;
  let solved: { threadId: string; answerId: string };
  beforeAll(async () => {
    rig = await startBotRig({ background: false, qa: TEST_QA });
    await prepareQa(rig);
    const q = await askQuestion(rig, { title: 'Narrowing discriminated unions', body: 'My switch does not narrow the payload.' });
    const answer = await say(rig, q.threadId, tess, 'Make the switch exhaustive with a never check.');
    await rig.discord.runCommand({ userId: ada, name: 'Mark as solution', type: 3, targetId: answer.id, channelId: q.threadId }).visibleReply();
    solved = { threadId: q.threadId, answerId: answer.id };
    const open = await askQuestion(rig, { title: 'Narrowing with generics', body: 'Generic narrowing fails. Exhaustive checks too.' });
    await say(rig, open.threadId, tess, 'Hmm');
  });
  afterAll(() => rig.stop());

  const search = (userId: string, query: string) => rig.discord.runCommand({ userId, name: 'qa', options: { search: { query } } }).visibleReply();

  it('is for members who may ask: a member without a tier is told how to join', async () => {
    const seen = await search(ada, 'narrowing');
    expect(seen.ephemeral).toBe(true);
    expect(seen.content).toBe("You don't have permission to do that. Q&A is for Supporter, Pro, Founder members: /join");
  });

  it('finds the solved question, by its title or its solution excerpt, with a jump link to the solution; never the unsolved one', async () => {
    await grantSupporter(rig, ada);
    for (const query of ['narrowing', 'exhaustive never']) {
      const seen = await search(ada, query);
      expect(seen.ephemeral).toBe(true);
      const description = (seen.embeds[0] as { description: string }).description;
      expect(description).toContain(`**1. [Narrowing discriminated unions](https://discord.com/channels/${SAMPLE.guildId}/${solved.threadId}/${solved.answerId})**`);
      expect(description).not.toContain('generics');
    }
  });

  it('says clearly when nothing is found, and FTS syntax in the query is only words', async () => {
    const none = await search(ada, 'kubernetes');
    expect(none.content).toBe('Nothing found among solved questions for “kubernetes”. Try fewer or other words, or ask it with /ask.');
    expect(none.embeds).toEqual([]);
    const tricky = await search(ada, '"narrowing" OR title:* NEAR(');
    expect((tricky.embeds[0] as { description: string }).description).toContain('Narrowing discriminated unions');
  });

  it('moderators may search without a tier', async () => {
    const seen = await search(MODERATOR.id, 'narrowing');
    expect(seen.embeds).toHaveLength(1);
    expect((await search(brian, 'narrowing')).content).toMatch(/^You don't have permission to do that\./);
  });
});

describe('/qa stats', () => {
  const clock = heldClock();
  const asOf = Date.UTC(2026, 10, 30, 12, 0, 0);
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ background: false, qa: TEST_QA, clock });
    await prepareQa(rig);
    await grantSupporter(rig, ada);
    const row = (n: number, askerId: string, topics: string[], createdAgo: number, facts: { answer?: number; expert?: number; solved?: boolean }) => ({
      thread_id: `13000000000000080${String(n).padStart(2, '0')}`, channel_id: SAMPLE.channels.forum, asker_id: askerId, title: `Q${n}`, body: 'b', code: null,
      topics: JSON.stringify(topics), state: facts.solved ? 'solved' as const : facts.answer ? 'answered' as const : 'open' as const,
      reminder_due_at: asOf - createdAgo + 12 * HOUR, created_at: asOf - createdAgo, last_activity_at: asOf - createdAgo,
      first_answer_at: facts.answer ? asOf - createdAgo + facts.answer : null, first_answer_by: facts.answer ? brian : null,
      first_expert_answer_at: facts.expert ? asOf - createdAgo + facts.expert : null, first_expert_answer_by: facts.expert ? tess : null,
      solution_message_id: null, solution_author_id: null, solution_excerpt: null, solved_at: facts.solved ? asOf - createdAgo + 6 * HOUR : null,
      solved_by: null, reminded_at: null, nudged_at: null, stale_at: null, archive_due_at: null, archived_at: null,
    });
    await rig.app.db.insertInto('questions').values([
      row(1, ada, ['typescript'], 1 * DAY, { answer: 1 * HOUR, expert: 3 * HOUR, solved: true }),
      row(2, brian, ['rust'], 2 * DAY, {}),
      row(3, ada, ['typescript', 'rust'], 3 * DAY, { answer: 3 * HOUR, expert: 5 * HOUR }),
      row(4, brian, ['typescript'], 10 * DAY, { answer: 2 * HOUR, solved: true }),
    ]).execute();
  });
  afterAll(() => rig.stop());

  const stats = (userId: string, period?: number) =>
    clock.at(asOf, () => rig.discord.runCommand({ userId, name: 'qa', options: { stats: period === undefined ? {} : { period } } }).visibleReply());

  it('is for moderators, checked server-side (search shares the command, so Discord cannot hide it)', async () => {
    const seen = await stats(ada);
    expect(seen.content).toBe("You don't have permission to do that. Q&A statistics are for moderators (Manage Messages).");
    expect(rig.discord.state.guildCommands.find((c) => c.name === 'qa')!.default_member_permissions ?? null).toBeNull();
  });

  it('7 and 30 days: asked, answered %, solved %, medians to first and first expert answer, open, unanswered, by topic and tier', async () => {
    const seen = await stats(MODERATOR.id);
    expect(seen.ephemeral).toBe(true);
    const [week, month] = seen.embeds as { title: string }[];
    expect(week!.title).toBe('Q&A, last 7 days');
    expect(fieldsOf(week)).toMatchObject({
      Asked: '3',
      Answered: '2 (67%)',
      Solved: '1 (33%)',
      'Median to first answer': '2 h',
      'Median to first expert answer': '4 h',
      'Still open': '2 of these · 2 in all',
      Unanswered: '1 of these · 1 in all',
      'By topic': '**rust**: 2 asked · 50% answered · 0% solved · first answer 3 h\n**typescript**: 2 asked · 100% answered · 50% solved · first answer 2 h',
      "By asker's tier": '**Supporter**: 2 asked · 100% answered · 50% solved · first answer 2 h\n**no tier**: 1 asked · 0% answered · 0% solved · first answer —',
    });
    expect(month!.title).toBe('Q&A, last 30 days');
    expect(fieldsOf(month)).toMatchObject({ Asked: '4', Answered: '3 (75%)', Solved: '2 (50%)', 'Median to first answer': '2 h', 'Median to first expert answer': '4 h', 'Still open': '2 of these · 2 in all' });

    const only = await stats(MODERATOR.id, 30);
    expect((only.embeds as { title: string }[]).map((e) => e.title)).toEqual(['Q&A, last 30 days']);
  });
});
