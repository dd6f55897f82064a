import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { channelFor } from '../../src/posts/post-messages.ts';
import { parsePostsSetup, PostsConfigError } from '../../src/posts/posts-config.ts';

const TIERS = ['Supporter', 'Pro', 'Founder'];

describe('the content file', () => {
  it('parses content.example.json as shipped', () => {
    const setup = parsePostsSetup(JSON.parse(readFileSync(new URL('../../content.example.json', import.meta.url), 'utf8')), '100000000000000020', '100000000000000030', TIERS);
    expect(setup).toMatchObject({ limits: { titleMax: 100, bodyMin: 30, bodyMax: 4000 }, rateLimit: { posts: 3, perHours: 24 }, channelId: '100000000000000020' });
  });

  it('names each problem', () => {
    const bad = () => parsePostsSetup({ limits: { bodyMin: 500, bodyMax: 200 }, tierChannels: { Gold: '100000000000000021' } }, '100000000000000020', '100000000000000030', TIERS);
    expect(bad).toThrow(PostsConfigError);
    expect(bad).toThrow(/limits\.bodyMax/);
    expect(() => parsePostsSetup({ tierChannels: { Gold: '100000000000000021' } }, '100000000000000020', '100000000000000030', TIERS)).toThrow('tierChannels names "Gold", which is not a tier in the tiers file');
  });

  it('publishes a tier audience in its channel (any case), and falls back to the content channel', () => {
    const setup = { channelId: 'content', tierChannels: { Pro: 'pro-lounge' } };
    expect(channelFor(setup, null)).toBe('content');
    expect(channelFor(setup, 'pro')).toBe('pro-lounge');
    expect(channelFor(setup, 'Founder')).toBe('content');
  });
});
