import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { VERSION } from '../../src/app.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };

describe('/about and /help with the real commands/ folder', () => {
  let rig: BotRig;
  beforeAll(async () => {
    rig = await startBotRig({ env: { HOMEPAGE_URL: 'https://community.example' } });
  });
  afterAll(() => rig.stop());

  it('registers the commands by bulk overwrite at startup', () => {
    const put = rig.discord.requests.filter((r) => r.method === 'PUT' && r.path === `/api/v10/applications/${SAMPLE.applicationId}/guilds/${SAMPLE.guildId}/commands`);
    expect(put).toHaveLength(1);
    expect(rig.discord.state.guildCommands.map((c) => c.name)).toEqual(expect.arrayContaining(['about', 'help']));
  });

  it('/about shows what the bot is, its version, uptime and links, privately', async () => {
    const seen = await rig.discord.runCommand({ userId: SAMPLE.users.brian, name: 'about' }).visibleReply();
    expect(seen.ephemeral).toBe(true);
    const embed = seen.embeds[0] as Embed;
    expect(embed.title).toBe('Guildhall');
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Version).toBe(VERSION);
    expect(fields.Uptime).toMatch(/^\d+s \(since <t:\d+:f>\)$/);
    expect(fields.Links).toBe('https://community.example');
  });

  it('/help lists only what the caller may use, and its menu shows details', async () => {
    const handle = rig.discord.runCommand({ userId: SAMPLE.users.ada, name: 'help' });
    const seen = await handle.visibleReply();
    expect(seen.ephemeral).toBe(true);
    const description = (seen.embeds[0] as Embed).description ?? '';
    expect(description).toContain('**/about**');
    expect(description).toContain('**/help**');
    const message = (handle.responses[0]!.message ?? undefined) as { id: string } | undefined;
    expect(message).toBeDefined();
    const details = await rig.discord
      .selectMenu({ userId: SAMPLE.users.ada, message: message!.id, customId: 'help', values: ['/about'] })
      .visibleReply();
    expect(details.kind).toBe('update');
    expect((details.embeds[0] as Embed).title).toBe('/about');
  });

  it('answers GET /healthz with 200 once the gateway is ready', async () => {
    const res = await fetch(`${rig.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok', gateway: 'ready' });
  });
});
