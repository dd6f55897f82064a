import { afterEach, describe, expect, it } from 'vitest';
import { enqueueMessage } from '../../src/membership/outbox.ts';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, type BotRig } from '../rigs/bot.ts';

const ada = SAMPLE.users.ada;

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met within 10 s');
}

describe('a DM refused because DMs are closed', () => {
  let rig: BotRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('is shown privately with the member’s next interaction, once', async () => {
    rig = await startBotRig();
    const { db } = rig.app;
    rig.discord.setDmsClosed(ada, true);
    await enqueueMessage(db, { target: { userId: ada }, body: { content: 'Your entry was accepted.' }, dedupeKey: 'verdict:1', reason: 'test', source: 'test', now: Date.now() });
    rig.app.deps.outbox.kick();
    await until(async () => (await db.selectFrom('member_notices').selectAll().execute()).length === 1);

    const first = rig.discord.runCommand({ userId: ada, name: 'about' });
    const notice = await first.waitForResponse((r) => r.kind === 'followup');
    expect(notice.ephemeral).toBe(true);
    expect((notice.body as { content: string }).content).toContain('Your entry was accepted.');
    expect((notice.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    await until(async () => (await db.selectFrom('member_notices').select('shown_at').executeTakeFirstOrThrow()).shown_at !== null);

    const second = rig.discord.runCommand({ userId: ada, name: 'about' });
    await second.visibleReply();
    // Give a follow-up the chance to arrive if it (wrongly) would.
    await rig.discord.runCommand({ userId: ada, name: 'about' }).visibleReply();
    expect(second.responses.filter((r) => r.kind === 'followup')).toEqual([]);
  });
});
