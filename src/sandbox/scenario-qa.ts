import { SAMPLE, type VisibleReply } from './discord/index.ts';
import type { Sandbox } from './harness.ts';
import type { ScenarioStep } from './scenario.ts';

type Component = { type: number; custom_id?: string; components?: Component[] };
const componentsOf = (reply: VisibleReply): Component[] => (reply.components as Component[]).flatMap((row) => row.components ?? [row]);

/**
 * Q&A in the demo: a paying member asks, the topic's experts are notified once, an expert
 * answers, the asker marks the solution, a search finds it, and an unanswered question gets its
 * one reminder (the sandbox's qa.json uses seconds-long delays so the demo need not wait 12 hours).
 */
export async function qaSteps(sandbox: Sandbox, step: ScenarioStep): Promise<void> {
  const { discord } = sandbox;
  const brian = SAMPLE.users.brian;
  const tess = SAMPLE.users.tess;
  const threadOf = (title: string) => [...discord.state.channels.values()].find((c) => c.name === title);
  const lastIn = (channelId: string) => discord.state.messagesIn(channelId).at(-1) as { content?: string; allowed_mentions?: unknown } | undefined;

  const ask = async (seen: (userId: string, handle: ReturnType<typeof discord.runCommand>) => Promise<string[]>, title: string, question: string, topic: string) => {
    const modal = await discord.runCommand({ userId: brian, name: 'ask', channelId: SAMPLE.channels.general }).visibleReply();
    const menu = await discord.submitModal({ userId: brian, customId: String(modal.data.custom_id), fields: { title, question, code: '' } }).visibleReply();
    const select = componentsOf(menu).find((c) => c.type === 3)!;
    return seen(brian, discord.selectMenu({ userId: brian, message: String(menu.data.id), customId: select.custom_id!, values: [topic] }));
  };

  const title = 'How do I narrow a union by a literal field?';
  await step('brian asks a question with /ask (a form, then a topic menu)', async ({ seen }) => {
    const lines = await ask(seen, title, 'I have `type Shape = { kind: "circle" } | { kind: "square" }` and want the compiler to know which one I hold.', 'typescript');
    const thread = await discord.waitFor(() => threadOf(title), 10_000);
    const ping = await discord.waitFor(() => (discord.state.messagesIn(thread.id).length >= 2 ? lastIn(thread.id) : undefined), 10_000);
    return [...lines, `🧵 a thread "${thread.name}" opens in #questions with the tag typescript`, `📣 in the thread: "${ping?.content ?? ''}" (pings only the TS experts role)`];
  });

  await step('tess, a TS expert, answers in the thread', async () => {
    const thread = threadOf(title)!;
    await discord.postMessage({ channelId: thread.id, authorId: tess, content: 'Switch on `shape.kind`: each case narrows to its member of the union.' });
    return ['(the bot records who answered and when, never the text: time to first answer and first expert answer)'];
  });

  await step('brian marks the answer: Apps › Mark as solution', async ({ seen }) => {
    const thread = threadOf(title)!;
    const answer = discord.state.messagesIn(thread.id).find((m) => (m.author as { id: string }).id === tess)!;
    const lines = await seen(brian, discord.runCommand({ userId: brian, name: 'Mark as solution', type: 3, targetId: String(answer.id), channelId: thread.id }));
    const notice = await discord.waitFor(() => discord.state.messagesIn(thread.id).find((m) => String(m.content ?? '').includes('olved')), 10_000);
    return [...lines, `✅ in the thread: "${String(notice.content).replace(/\n+/g, ' ').slice(0, 160)}"`];
  });

  await step('brian searches the answered questions: /qa search narrow union', ({ seen }) =>
    seen(brian, discord.runCommand({ userId: brian, name: 'qa', options: { search: { query: 'narrow union' } } })),
  );

  const rust = 'Why does the borrow checker reject my loop?';
  await step('brian asks about Rust; nobody answers, so the Rust experts get one reminder', async ({ seen }) => {
    const lines = await ask(seen, rust, 'I push into a Vec while iterating over it and rustc says E0502.', 'rust');
    const thread = await discord.waitFor(() => threadOf(rust), 10_000);
    const reminder = await discord.waitFor(() => discord.state.messagesIn(thread.id).find((m) => /remind|still|unanswered|no answer/i.test(String(m.content ?? ''))), 20_000);
    return [...lines, `⏰ in the thread: "${String(reminder.content).replace(/\n+/g, ' ').slice(0, 160)}"`];
  });
}
