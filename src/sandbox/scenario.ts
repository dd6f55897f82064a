import { SAMPLE, type InteractionHandle } from './discord/index.ts';
import type { Sandbox } from './harness.ts';
import { membershipSteps } from './scenario-membership.ts';
import { qaSteps } from './scenario-qa.ts';
import { challengeSteps } from './scenario-challenges.ts';
import { digestSteps } from './scenario-digest.ts';
import { postsSteps } from './scenario-posts.ts';
import { ratingSteps } from './scenario-ratings.ts';
import { describeReply, describeRequests } from './transcript.ts';

export interface TranscriptStep {
  title: string;
  lines: string[];
}

export interface StepHelpers {
  /** What `userId` saw in answer to an interaction, as transcript lines. */
  seen(userId: string, handle: InteractionHandle, timeoutMs?: number): Promise<string[]>;
}

/** Runs one scripted step and lists what the bot did on Discord and Stripe meanwhile. */
export type ScenarioStep = (title: string, act: (helpers: StepHelpers) => Promise<string[]>) => Promise<void>;

const CAROL = { id: '1300000000000000504', username: 'carol', globalName: 'Carol' };

/**
 * The scripted demo: what members type, what they see, and what the bot did.
 * Each feature adds its steps (see scenario-membership.ts).
 */
export async function playScenario(sandbox: Sandbox, print: (step: TranscriptStep) => void): Promise<TranscriptStep[]> {
  const { discord, stripe } = sandbox;
  const steps: TranscriptStep[] = [];
  const name = (id: string) => discord.state.users.get(id)?.username ?? id;
  const helpers: StepHelpers = { seen: async (userId, handle, timeoutMs = 10_000) => describeReply(await handle.visibleReply(timeoutMs), name(userId)) };
  // The first step also shows what the bot did while starting.
  const seenSoFar = { discord: 0, stripe: 0, deliveries: 0 };

  const step: ScenarioStep = async (title, act) => {
    const lines = await act(helpers);
    // Give trailing calls (a follow-up, a queued role change) a moment to land before listing them.
    await new Promise((r) => setTimeout(r, 300));
    const made = discord.requests.slice(seenSoFar.discord).filter((r) => !r.path.endsWith('/gateway/bot'));
    const asked = fold(stripe.requests.slice(seenSoFar.stripe).map((r) => `💳 bot asked Stripe: ${r.method} ${r.path.replace(/\/(sub|cus|in|pi|ch)_\w+/g, '/$1_…')}`));
    const delivered = stripe.deliveries.slice(seenSoFar.deliveries);
    const webhooks = delivered.length ? [`⇢ Stripe sent signed webhooks: ${fold(delivered.map((d) => `${d.type} (${d.lastStatus ?? '…'})`)).join(', ')}`] : [];
    Object.assign(seenSoFar, { discord: discord.requests.length, stripe: stripe.requests.length, deliveries: stripe.deliveries.length });
    const entry = { title, lines: [...lines, ...webhooks, ...asked, ...describeRequests(made, discord.state)] };
    steps.push(entry);
    print(entry);
  };

  await step('The bot started', async () => {
    const registered = discord.state.guildCommands.map((c) => `/${String(c.name)}`);
    const { migrationsMs, loginMs, registerMs } = sandbox.startup;
    return [
      `registered ${registered.length} slash commands in "${discord.state.guild.name}": ${registered.join(', ')}`,
      `startup: migrations ${migrationsMs.toFixed(0)} ms, login ${loginMs.toFixed(0)} ms, command registration ${registerMs.toFixed(0)} ms`,
    ];
  });

  await step('carol joins the server', async () => {
    await discord.addMember(CAROL);
    return [`the server now has ${discord.state.members.size} members`];
  });

  await step('carol types /about', ({ seen }) => seen(CAROL.id, discord.runCommand({ userId: CAROL.id, name: 'about', channelId: SAMPLE.channels.general })));

  let helpMessageId = '';
  await step('ada types /help', async ({ seen }) => {
    const handle = discord.runCommand({ userId: SAMPLE.users.ada, name: 'help', channelId: SAMPLE.channels.general });
    const lines = await seen(SAMPLE.users.ada, handle);
    helpMessageId = String((handle.responses[0]?.message as { id?: string } | undefined)?.id ?? '');
    return lines;
  });

  await step('ada picks "/about" in the help menu', ({ seen }) =>
    seen(SAMPLE.users.ada, discord.selectMenu({ userId: SAMPLE.users.ada, message: helpMessageId, customId: 'help', values: ['/about'] })),
  );

  await step('brian types /subscribe, a command an older version of the bot had', ({ seen }) =>
    seen(SAMPLE.users.brian, discord.runCommand({ userId: SAMPLE.users.brian, name: 'subscribe', channelId: SAMPLE.channels.general })),
  );

  await membershipSteps(sandbox, step);
  await qaSteps(sandbox, step);
  await postsSteps(sandbox, step);
  await ratingSteps(sandbox, step);
  await challengeSteps(sandbox, step);
  await digestSteps(sandbox, step);

  await step('the process manager checks GET /healthz', async () => {
    const res = await fetch(`${sandbox.httpUrl}/healthz`);
    return [`◀ HTTP ${res.status} ${JSON.stringify(await res.json())}`];
  });

  return steps;
}

/** Repeated lines once, with a count: a backlog of 200 webhooks reads as a handful of kinds. */
function fold(lines: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts].map(([line, n]) => (n > 1 ? `${line} ×${n}` : line));
}

export function formatStep(step: TranscriptStep): string {
  return [`▶ ${step.title}`, ...step.lines.map((l) => `  ${l}`)].join('\n');
}
