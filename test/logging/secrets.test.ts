import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/sandbox/discord/index.ts';
import { startBotRig, TEST_COMMANDS_DIR, type BotRig } from '../rigs/bot.ts';
import { TEST_SECRETS } from '../rigs/env.ts';
import { captureLogs } from '../rigs/logs.ts';

describe('secrets never reach the logs', () => {
  let rig: BotRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('scrubs the token and Stripe secrets through a whole session, even when an error quotes them', async () => {
    rig = await startBotRig({ commandsDir: TEST_COMMANDS_DIR });
    const { discord, httpUrl, logs } = rig;
    await discord.runCommand({ userId: SAMPLE.users.ada, name: 'fails', options: { how: 'leak' } }).visibleReply();
    await discord.runCommand({ userId: SAMPLE.users.ada, name: 'fails', options: { how: 'crash' } }).visibleReply();
    await fetch(`${httpUrl}/stripe/webhook`, { method: 'POST', body: '{"id":"evt_1"}', headers: { 'stripe-signature': `t=1,v1=${TEST_SECRETS.STRIPE_WEBHOOK_SECRET}` } });
    discord.dropConnection(4000);
    await discord.waitForReady();
    await rig.stop();
    rig = undefined;

    const all = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThanOrEqual(5);
    expect(all).toContain('[secret]'); // the leak above was logged, and scrubbed
    for (const secret of Object.values(TEST_SECRETS)) expect(all).not.toContain(secret);
  });

  it('redacts credential fields by name and scrubs secret values anywhere in a line', () => {
    const { logger, lines } = captureLogs(['tok-1234567890']);
    logger.info({ token: 'something', headers: { authorization: 'Bot abc' }, nested: { secret: 'x' } }, 'fields');
    logger.error({ err: new Error('failed with tok-1234567890 in it') }, 'quoted tok-1234567890');
    const text = lines.join('\n');
    expect(text).not.toContain('tok-1234567890');
    expect(text).not.toContain('Bot abc');
    expect(text).not.toContain('"something"');
    expect(text.match(/\[secret\]/g)?.length).toBeGreaterThanOrEqual(3);
  });
});
