// The post services against a real migrated SQLite file, without Discord: what they record (activity
// after commit, outbox rows, points within the daily cap). The Discord side is covered by the rig tests.
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityInput } from '../../src/activity/sink.ts';
import { parseTiers } from '../../src/membership/tiers.ts';
import { decideVersion, unpublishPost } from '../../src/posts/post-decide.ts';
import type { PostPorts } from '../../src/posts/post-ports.ts';
import { submitNew } from '../../src/posts/post-submit.ts';
import { parsePostsSetup } from '../../src/posts/posts-config.ts';
import { pointsOf } from '../../src/qa/points.ts';
import { parseReputationSetup } from '../../src/reputation/reputation-config.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { SANDBOX_TIERS } from '../../src/sandbox/tiers.ts';
import { freshDatabase, type TestDatabase } from '../rigs/database.ts';
import { captureLogs } from '../rigs/logs.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 25, 12);
const TEXT = { title: 'A post', body: 'Thirty characters of text at the very least.', link: null, kind: 'article' as const };
const author = { id: SAMPLE.users.ada, name: 'Ada', moderator: false };

describe('post services', () => {
  let t: TestDatabase;
  let now: number;
  let recorded: ActivityInput[];
  let ports: PostPorts;

  beforeEach(async () => {
    t = await freshDatabase();
    now = T0;
    recorded = [];
    ports = {
      db: t.db, rest: new REST(), clock: { now: () => now }, logger: captureLogs([]).logger, outbox: { kick: () => undefined },
      setup: parsePostsSetup({ rateLimit: { posts: 10, perHours: 24 } }, SAMPLE.channels.content, SAMPLE.channels.mods, ['Supporter', 'Pro', 'Founder']),
      activity: { record: (e) => void recorded.push(e) },
      reputation: parseReputationSetup({ dailyCaps: { post_approved: 20 } }, []),
      timeZone: 'UTC', tiers: parseTiers(SANDBOX_TIERS), policy: { gracePeriodMs: 0 },
    };
  });
  afterEach(() => t.cleanup());

  const approve = async (moderator: string) => {
    const s = await submitNew(ports, { author, text: TEXT, audienceTier: null });
    now += H;
    return decideVersion(ports, { versionId: s.version.id, action: 'approve', actorId: moderator, reason: null });
  };
  const outboxOf = (postId: number) => t.db.selectFrom('outbox').select(['dedupe_key', 'payload']).where('source', '=', `post:${postId}`).orderBy('id').execute();

  it('records the submission for the author and the decision for the moderator, with their own times', async () => {
    const d = await approve(SAMPLE.users.mo);
    expect(recorded).toEqual([
      { userId: SAMPLE.users.ada, kind: 'post_submitted', at: T0, ref: `post:${d.post.id}` },
      { userId: SAMPLE.users.mo, kind: 'post_decided', at: T0 + H, ref: `post:${d.post.id}` },
    ]);
    const rows = await outboxOf(d.post.id);
    expect(rows.map((r) => r.dedupe_key)).toEqual([`post-card:${d.version.id}:submitted`, `post-outcome:${d.decision.id}`]);
    expect(JSON.parse(rows[0]!.payload).target).toEqual({ channelId: SAMPLE.channels.mods });
    expect(JSON.parse(rows[1]!.payload).target).toEqual({ userId: SAMPLE.users.ada });
    // The post waits for its Discord message: approved, not yet published.
    expect(d.post).toMatchObject({ state: 'approved', sync_due: 1, published_message_id: null });
  });

  it('credits approvals within the daily cap, and says how much in the DM', async () => {
    const first = await approve(SAMPLE.users.mo);
    const second = await approve(SAMPLE.users.jules);
    const third = await approve(SAMPLE.users.mo);
    expect([first.points, second.points, third.points]).toEqual([15, 5, 0]);
    expect(await pointsOf(t.db, SAMPLE.users.ada)).toBe(20);
    const dm = async (postId: number) => JSON.parse((await outboxOf(postId)).at(-1)!.payload).body.content as string;
    expect(await dm(second.post.id)).toContain('You earned 5 points.');
    expect(await dm(third.post.id)).not.toContain('points');
    // Unpublishing reverses what was credited; an author's own unpublish is not a moderator decision.
    recorded = [];
    await unpublishPost(ports, { postId: second.post.id, actorId: SAMPLE.users.ada, isModerator: false, reason: null });
    expect(await pointsOf(t.db, SAMPLE.users.ada)).toBe(15);
    expect(recorded).toEqual([]);
  });
});
