import { formatLocalDateTime } from '../challenges/challenge-input.ts';
import { SAMPLE, type RawMessage, type VisibleReply } from './discord/index.ts';
import type { Sandbox } from './harness.ts';
import type { ScenarioStep } from './scenario.ts';
import { renderMarkdown } from './transcript.ts';

type Component = { type: number; custom_id?: string; components?: Component[] };
const componentsOf = (components: unknown[]): Component[] => (components as Component[]).flatMap((row) => row.components ?? [row]);
const oneLine = (text: string, max = 200) => renderMarkdown(text).replace(/\n+/g, ' ').slice(0, max);

/**
 * Challenges in the demo: a moderator schedules one a few seconds ahead (CHALLENGE_CRON runs every
 * 2 s in the sandbox), the job announces it, two paying members enter (one edits her entry), a
 * late entry is refused with the deadline shown, two judges decide with reasons, the results are
 * announced, and the leaderboard message is updated. The entrants already pay: brian from the
 * membership steps, ada and tess through the owner's /grant in the posts steps (run those first).
 */
export async function challengeSteps(sandbox: Sandbox, step: ScenarioStep): Promise<void> {
  const { discord } = sandbox;
  const { ada, brian, tess, mo, jules } = SAMPLE.users;
  const channel = SAMPLE.channels.challenges;
  const zone = sandbox.env.REPORT_TIMEZONE ?? 'UTC';
  const run = (userId: string, options: Record<string, unknown>) => discord.runCommand({ userId, name: 'challenge', options, channelId: SAMPLE.channels.general });
  const botIn = (channelId: string): RawMessage[] => discord.state.messagesIn(channelId).filter((m) => m.author.id === SAMPLE.applicationId);
  const fill = (userId: string, form: VisibleReply, fields: Record<string, string | string[]>, message?: string) =>
    discord.submitModal({ userId, customId: String(form.data.custom_id), fields, ...(message ? { message, channelId: SAMPLE.channels.mods } : {}) });
  const at = (ms: number) => `${formatLocalDateTime(ms, zone)}:${String(new Date(ms).getUTCSeconds()).padStart(2, '0')}`;
  let id = 0;
  let deadline = 0;

  await step('mo schedules a challenge: /challenge create points:20 best_bonus:10 judges:2, then the form', async ({ seen }) => {
    const form = await run(mo, { create: { points: 20, best_bonus: 10, judges: 2 } }).visibleReply(10_000);
    const start = Date.now() + 4_000;
    deadline = start + 16_000;
    const fields = { title: 'Flatten a nested list', statement: 'Write `flatten(xs)` that flattens arbitrarily nested lists without recursion.', rules: 'Any language. Explain the complexity.', start: at(start), deadline: at(deadline) };
    const handle = fill(mo, form, fields);
    const lines = await seen(mo, handle);
    id = Number(/Challenge #(\d+)/.exec((await handle.visibleReply()).content ?? '')?.[1]);
    return [`(a form "${String(form.data.title)}": start ${fields.start}, deadline ${fields.deadline}, in ${zone} time)`, ...lines];
  });

  await step('at its start, the job announces it in #challenges (once, even across restarts)', async () => {
    const announcement = await discord.waitFor(() => botIn(channel).find((m) => m.content.includes('A new challenge is open')), 20_000);
    return [`📣 in #challenges: "${oneLine(announcement.content)}" (mentions: none)`];
  });

  await step('ada enters with /challenge submit (a private form; only she and the judges see it)', async ({ seen }) => {
    const form = await run(ada, { submit: { challenge: id } }).visibleReply(10_000);
    return [`(a form "${String(form.data.title)}")`, ...(await seen(ada, fill(ada, form, { solution: 'def flatten(xs): ...  # recursive', link: '', notes: '' })))];
  });

  await step('brian (Pro) enters with a link to his solution', async ({ seen }) => {
    const form = await run(brian, { submit: { challenge: id } }).visibleReply(10_000);
    return seen(brian, fill(brian, form, { solution: '', link: 'https://gist.github.com/brian/flatten', notes: 'Iterative, with an explicit stack.' }));
  });

  await step('ada edits her entry before the deadline: the form comes back pre-filled; version 2 is kept beside version 1', async ({ seen }) => {
    const form = await run(ada, { submit: { challenge: id } }).visibleReply(10_000);
    const solution = 'def flatten(xs):\n    stack, out = [iter(xs)], []\n    while stack:\n        for x in stack[-1]:\n            if isinstance(x, list): stack.append(iter(x)); break\n            out.append(x)\n        else: stack.pop()\n    return out';
    return seen(ada, fill(ada, form, { solution, link: '', notes: 'O(n) time, O(depth) memory.' }));
  });

  await step('the deadline passes; tess tries to enter and is refused with the deadline shown', async ({ seen }) => {
    const closed = await discord.waitFor(() => botIn(channel).find((m) => m.content.includes(`Challenge #${id} `) && m.content.includes('is closed')), 30_000);
    return [`⏰ in #challenges: "${oneLine(closed.content)}"`, ...(await seen(tess, run(tess, { submit: { challenge: id } })))];
  });

  const cards = () => botIn(SAMPLE.channels.mods).filter((m) => (m.embeds as { title?: string }[])[0]?.title?.includes(`challenge #${id} `));
  const cardBy = (author: string) => cards().find((m) => JSON.stringify(m.embeds).includes(`<@${author}>`))!;
  const button = (card: RawMessage, verdict: string) => componentsOf(card.components).find((c) => c.custom_id?.endsWith(`:${verdict}`))!.custom_id!;
  const board = () => botIn(channel).find((m) => (m.embeds as { title?: string }[])[0]?.title?.startsWith('🏆 Leaderboard'));
  const boardBefore = JSON.stringify([board()?.embeds, board()?.edited_timestamp]);

  await step("the judges' queue in #mods: one card per entry, with Accept / Accept as best / Decline", async () => {
    await discord.waitFor(() => cards().length === 2, 15_000);
    return cards().map((c) => `🧑‍⚖️ card: ${oneLine(String((c.embeds as { title: string }[])[0]!.title))} by ${JSON.stringify(c.embeds).includes(ada) ? 'ada' : 'brian'}`);
  });

  await step("mo and jules (2 judges must agree) call ada's entry the best, and decline brian's with reasons", async () => {
    const name = (userId: string) => discord.state.users.get(userId)?.username ?? userId;
    /** The card is updated in place: show who pressed what and the card's status line after it. */
    const status = async (judge: string, what: string, handle: ReturnType<typeof discord.clickButton>) => {
      const reply = await handle.visibleReply(10_000);
      const line = (reply.content ?? '').split('\n').find((l) => l.startsWith('**Status:**')) ?? reply.content ?? '';
      return `${name(judge)}: ${what} → the card now says "${oneLine(line, 240)}"`;
    };
    const lines: string[] = [];
    for (const judge of [mo, jules]) lines.push(await status(judge, "[Accept as best] on ada's entry", discord.clickButton({ userId: judge, message: cardBy(ada).id, customId: button(cardBy(ada), 'best'), channelId: SAMPLE.channels.mods })));
    const decline = async (judge: string, reason: string, details: string) => {
      const card = cardBy(brian);
      const form = await discord.clickButton({ userId: judge, message: card.id, customId: button(card, 'decline'), channelId: SAMPLE.channels.mods }).visibleReply(10_000);
      return status(judge, `[Decline…] on brian's entry, a form "${String(form.data.title)}": reason ${reason}, "${details}"`, fill(judge, form, { reason: [reason], details }, card.id));
    };
    lines.push(await decline(mo, 'incomplete', 'The gist is private: we could not read it.'));
    lines.push(await decline(jules, 'other', 'Link only, and the link does not open.'));
    return lines;
  });

  await step('judging is complete: results in #challenges (no pings), verdicts by DM, points on the shared ledger', async () => {
    const results = await discord.waitFor(() => botIn(channel).find((m) => m.content.includes(`Results** for challenge #${id}`)), 15_000);
    const dm = (userId: string) => discord.waitFor(() => discord.state.messagesIn(discord.dmChannelId(userId)).find((m) => m.content.includes(`challenge #${id}`)), 15_000);
    return [
      `🏁 in #challenges: "${oneLine(results.content)} ${oneLine(String((results.embeds as { description: string }[])[0]!.description), 300)}" (mentions: ${results.mentions.length})`,
      `✉ ada gets a DM: "${oneLine((await dm(ada)).content)}"`,
      `✉ brian gets a DM: "${oneLine((await dm(brian)).content, 300)}"`,
    ];
  });

  await step('the leaderboard message in #challenges is edited (never reposted)', async () => {
    const updated = await discord.waitFor(() => {
      const b = board();
      return b && JSON.stringify([b.embeds, b.edited_timestamp]) !== boardBefore && JSON.stringify(b.embeds).includes(`<@${ada}>`) ? b : undefined;
    }, 20_000);
    const embed = (updated.embeds as { title: string; description?: string }[])[0]!;
    return [`${oneLine(embed.title)}: ${oneLine(embed.description ?? '', 300)}`];
  });
}
