import { SAMPLE, type InteractionHandle } from './discord/index.ts';
import type { Sandbox } from './harness.ts';
import { describeReply, describeRequests } from './transcript.ts';

export interface TranscriptStep {
  title: string;
  lines: string[];
}

const CAROL = { id: '1300000000000000504', username: 'carol', globalName: 'Carol' };

/**
 * The scripted demo: what members type, what they see, and what the bot did on Discord.
 * Later features add their own steps here.
 */
export async function playScenario(sandbox: Sandbox, print: (step: TranscriptStep) => void): Promise<TranscriptStep[]> {
  const { discord } = sandbox;
  const steps: TranscriptStep[] = [];
  const name = (id: string) => discord.state.users.get(id)?.username ?? id;

  /** Runs one step and lists the REST calls the bot made during it. */
  const step = async (title: string, act: () => Promise<string[]>, since = discord.requests.length) => {
    const before = since;
    const lines = await act();
    // Give trailing calls (a follow-up after a reply) a moment to land before listing them.
    await new Promise((r) => setTimeout(r, 150));
    const made = discord.requests.slice(before).filter((r) => !r.path.endsWith('/gateway/bot'));
    const entry = { title, lines: [...lines, ...describeRequests(made)] };
    steps.push(entry);
    print(entry);
  };
  const seenBy = async (userId: string, handle: InteractionHandle) => describeReply(await handle.visibleReply(10_000), name(userId));

  await step('The bot started', async () => {
    const registered = discord.state.guildCommands.map((c) => `/${String(c.name)}`);
    const { migrationsMs, loginMs, registerMs } = sandbox.startup;
    return [
      `registered ${registered.length} slash commands in "${discord.state.guild.name}": ${registered.join(', ')}`,
      `startup: migrations ${migrationsMs.toFixed(0)} ms, login ${loginMs.toFixed(0)} ms, command registration ${registerMs.toFixed(0)} ms`,
    ];
  }, 0);

  await step('carol joins the server', async () => {
    await discord.addMember(CAROL);
    return [`the server now has ${discord.state.members.size} members`];
  });

  await step('carol types /about', () => seenBy(CAROL.id, discord.runCommand({ userId: CAROL.id, name: 'about', channelId: SAMPLE.channels.general })));

  let helpMessageId = '';
  await step('ada types /help', async () => {
    const handle = discord.runCommand({ userId: SAMPLE.users.ada, name: 'help', channelId: SAMPLE.channels.general });
    const lines = await seenBy(SAMPLE.users.ada, handle);
    helpMessageId = String((handle.responses[0]?.message as { id?: string } | undefined)?.id ?? '');
    return lines;
  });

  await step('ada picks "/about" in the help menu', () =>
    seenBy(SAMPLE.users.ada, discord.selectMenu({ userId: SAMPLE.users.ada, message: helpMessageId, customId: 'help', values: ['/about'] })),
  );

  await step('brian types /subscribe, a command an older version of the bot had', () =>
    seenBy(SAMPLE.users.brian, discord.runCommand({ userId: SAMPLE.users.brian, name: 'subscribe', channelId: SAMPLE.channels.general })),
  );

  await step('the process manager checks GET /healthz', async () => {
    const res = await fetch(`${sandbox.httpUrl}/healthz`);
    return [`◀ HTTP ${res.status} ${JSON.stringify(await res.json())}`];
  });

  return steps;
}

export function formatStep(step: TranscriptStep): string {
  return [`▶ ${step.title}`, ...step.lines.map((l) => `  ${l}`)].join('\n');
}
