import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { MAX_FORUM_TAGS, syncForumTags, tagIdsFor } from '../../src/qa/forum-tags.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';

type Tag = { id: string; name: string; moderated: boolean; emoji_id: string | null; emoji_name: string | null };

describe('forum tags from the Q&A topics', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ background: false });
  });
  afterAll(() => rig.stop());

  const forum = () => rig.discord.state.channels.get(SAMPLE.channels.forum)!;
  const tags = () => forum().available_tags as Tag[];
  /** As if an admin had set the forum's tags by hand in Discord (whatever startup already did). */
  const setTags = (list: Tag[]) => void (forum().available_tags = list.map((t) => ({ ...t })));
  const patches = () => rig.discord.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/channels/${SAMPLE.channels.forum}`));
  const sync = (qa = rig.app.deps.qa!) => syncForumTags(rig.app.client.rest, qa, rig.logs.logger);
  const tag = (id: string, name: string, extra: Partial<Tag> = {}): Tag => ({ id, name, moderated: false, emoji_id: null, emoji_name: null, ...extra });

  it('creates one tag per topic plus a moderated "Solved", keeping tags others made with their ids', async () => {
    setTags([tag('1300000000000009001', 'meta', { emoji_name: '📌' }), tag('1300000000000009002', 'TypeScript')]);
    const before = patches().length;
    expect(await sync()).toEqual({ kind: 'synced', created: ['rust', 'Solved'], skipped: [] });
    expect(patches()).toHaveLength(before + 1);
    expect(tags().map((t) => t.name)).toEqual(['meta', 'TypeScript', 'rust', 'Solved']);
    // Existing tags keep their ids (threads reference tags by id) and settings.
    expect(tags()[0]).toEqual(tag('1300000000000009001', 'meta', { emoji_name: '📌' }));
    expect(tags()[1]!.id).toBe('1300000000000009002');
    expect(tags().find((t) => t.name === 'Solved')?.moderated).toBe(true);
    expect(tagIdsFor(tags(), ['typescript', 'rust'])).toEqual(['1300000000000009002', tags()[2]!.id]);
  });

  it('changes nothing on a second run', async () => {
    const snapshot = structuredClone(tags());
    const before = patches().length;
    expect(await sync()).toEqual({ kind: 'synced', created: [], skipped: [] });
    expect(patches()).toHaveLength(before);
    expect(tags()).toEqual(snapshot);
  });

  it('adds what fits under the 20-tag limit and logs the rest', async () => {
    setTags(Array.from({ length: MAX_FORUM_TAGS - 1 }, (_, i) => tag(`13000000000000091${String(i).padStart(2, '0')}`, `other-${i}`)));
    expect(await sync()).toEqual({ kind: 'synced', created: ['typescript'], skipped: ['rust', 'Solved'] });
    expect(tags()).toHaveLength(MAX_FORUM_TAGS);
    expect(tags().slice(0, -1).every((t) => t.name.startsWith('other-'))).toBe(true);
    expect(rig.logs.entries().some((e) => e.level === 50 && String(e.msg).includes('already has 20 tags'))).toBe(true);
  });

  it('does nothing for a text channel: questions become plain threads there', async () => {
    const before = rig.discord.requests.filter((r) => r.method === 'PATCH').length;
    expect(await sync({ ...rig.app.deps.qa!, channelId: SAMPLE.channels.general })).toEqual({ kind: 'not-a-forum' });
    expect(rig.discord.requests.filter((r) => r.method === 'PATCH')).toHaveLength(before);
  });
});
