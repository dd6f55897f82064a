import { SAMPLE, type RawMessage, type VisibleReply } from './discord/index.ts';
import type { Sandbox } from './harness.ts';
import type { ScenarioStep } from './scenario.ts';
import { renderMarkdown } from './transcript.ts';

type Component = { type: number; custom_id?: string; label?: string; components?: Component[] };
const componentsOf = (rows: unknown[]): Component[] => (rows as Component[]).flatMap((row) => row.components ?? [row]);
const oneLine = (text: string, max = 180) => renderMarkdown(text).replace(/\n+/g, ' ').slice(0, max);
const WAIT = 15_000;

/**
 * Member posts in the demo: a post sent back with a change request, edited from the DM and
 * approved (published with its rating row); another rejected with a reason; two moderators
 * pressing Approve at the same moment (one decision, the other told who decided); /queue.
 * Posting is for paying members: the owner grants ada and tess a tier first.
 */
export async function postsSteps(sandbox: Sandbox, step: ScenarioStep): Promise<void> {
  const { discord } = sandbox;
  const { ada, tess, mo, jules } = SAMPLE.users;
  const mods = SAMPLE.channels.mods;
  const name = (id: string) => discord.state.users.get(id)?.username ?? id;
  const dmsOf = (userId: string): RawMessage[] => discord.state.messagesIn(discord.dmChannelId(userId));
  const dm = (userId: string, match: string) => discord.waitFor(() => dmsOf(userId).find((m) => m.content.includes(match)), WAIT);
  /** The newest card whose buttons name a version not seen before. */
  const seenCards = new Set<string>();
  const nextCard = () => discord.waitFor(() => discord.state.messagesIn(mods).find((m) => !seenCards.has(m.id) && JSON.stringify(m.components).includes('post-review:')), WAIT)
    .then((m) => (seenCards.add(m.id), m));
  const buttonOf = (m: { components: unknown[] }, label: string) => componentsOf(m.components).find((c) => c.label === label)!.custom_id!;
  const cardLine = (m: RawMessage) => `📋 a review card in #mods: "${(m.embeds[0] as { title: string }).title}" with ${componentsOf(m.components).map((c) => `[${c.label}]`).join(' ')}`;

  const write = async (userId: string, title: string, body: string, kind: string) => {
    const lines: string[] = [];
    const form = await discord.runCommand({ userId, name: 'post', options: { new: {} }, channelId: SAMPLE.channels.general }).visibleReply(WAIT);
    lines.push(`◀ ${name(userId)} gets a form "${String(form.data.title)}": title, text, link, kind (a menu)`);
    const menu = await discord.submitModal({ userId, customId: String(form.data.custom_id), fields: { title, body, link: '', kind: [kind] } }).visibleReply(WAIT);
    lines.push(`◀ only ${name(userId)} sees: ${oneLine(menu.content ?? '')} [menu: All members, Supporter…, Pro…, Founder…]`);
    const select = componentsOf(menu.components).find((c) => c.type === 3)!;
    const done = await discord.selectMenu({ userId, message: String(menu.data.id), customId: select.custom_id!, values: ['all'] }).visibleReply(WAIT);
    lines.push(`◀ only ${name(userId)} sees: ${oneLine(done.content ?? '', 260)}`);
    const card = await nextCard();
    return { lines: [...lines, cardLine(card)], card };
  };

  /** Reject… / Request changes…: the button opens a form for the reason. */
  const withReason = async (userId: string, card: RawMessage, label: string, reason: string): Promise<VisibleReply> => {
    const modal = await discord.clickButton({ userId, message: card.id, customId: buttonOf(card, label) }).visibleReply(WAIT);
    return discord.submitModal({ userId, customId: String(modal.data.custom_id), fields: { reason }, message: card.id }).visibleReply(WAIT);
  };

  await step('the owner grants ada and tess the Supporter tier with /grant: posting is for paying members', async ({ seen }) => [
    ...(await seen(SAMPLE.ownerId, discord.runCommand({ userId: SAMPLE.ownerId, name: 'grant', options: { member: ada, tier: 'Supporter' }, channelId: mods }))),
    ...(await seen(SAMPLE.ownerId, discord.runCommand({ userId: SAMPLE.ownerId, name: 'grant', options: { member: tess, tier: 'Supporter' }, channelId: mods }))),
  ]);

  let card!: RawMessage;
  await step('ada writes a tutorial with /post new; it waits in the moderators\' queue', async () => {
    const r = await write(ada, 'Narrowing unions in TypeScript', 'Switch on a literal field and the compiler narrows each case. Here is why, step by step.', 'tutorial');
    card = r.card;
    return r.lines;
  });

  await step('mo presses "Request changes…" on the card and writes a note', async () => {
    const reply = await withReason(mo, card, 'Request changes…', 'Please add a runnable example at the end.');
    const note = await dm(ada, 'asked for changes');
    return [`◀ the card now shows: ${oneLine(reply.content ?? '')} (buttons disabled, [Reverse…] added)`, `✉ ada gets a DM: ${oneLine(note.content)} [button: Edit and resubmit]`];
  });

  await step('ada presses "Edit and resubmit" in the DM, adds the example and sends it again', async () => {
    const note = await dm(ada, 'asked for changes');
    const form = await discord.clickButton({ userId: ada, message: note.id, customId: buttonOf(note, 'Edit and resubmit') }).visibleReply(WAIT);
    const body = 'Switch on a literal field and the compiler narrows each case. Here is why, step by step.\n\n```ts\nswitch (shape.kind) { case "circle": return shape.r; }\n```';
    const done = await discord.submitModal({ userId: ada, customId: String(form.data.custom_id), channelId: discord.dmChannelId(ada), fields: { title: 'Narrowing unions in TypeScript', body, link: '', kind: ['tutorial'] } }).visibleReply(WAIT);
    card = await nextCard();
    return [`◀ ada gets the form "${String(form.data.title)}", filled with her text`, `◀ only ada sees: ${oneLine(done.content ?? '', 200)}`, cardLine(card), `   ${oneLine(card.content)}`];
  });

  await step('jules approves the new version: it is published in #articles with a rating row, and ada earns points', async () => {
    const reply = await discord.clickButton({ userId: jules, message: card.id, customId: buttonOf(card, 'Approve') }).visibleReply(WAIT);
    const post = await discord.waitFor(() => discord.state.messagesIn(SAMPLE.channels.content).find((m) => JSON.stringify(m.embeds).includes('Narrowing unions')), WAIT);
    const news = await dm(ada, 'was approved');
    const embed = post.embeds[0] as { title: string; author: { name: string } };
    return [
      `◀ the card now shows: ${oneLine(reply.content ?? '')}`,
      `📰 in #articles: "${embed.title}" by ${embed.author.name}, with ${componentsOf(post.components).map((c) => `[${c.label}]`).join(' ')}`,
      `✉ ada gets a DM: ${oneLine(news.content)}`,
    ];
  });

  await step('tess writes a post; jules rejects it with a reason', async () => {
    const r = await write(tess, 'Buy my TypeScript course', 'My course teaches everything about TypeScript, 50% off this week only, link in bio.', 'other');
    const reply = await withReason(jules, r.card, 'Reject…', 'Promotion is not allowed in the articles channel.');
    const news = await dm(tess, 'not accepted');
    return [...r.lines, `◀ the card now shows: ${oneLine(reply.content ?? '')}`, `✉ tess gets a DM: ${oneLine(news.content)} [button: Edit and resubmit]`];
  });

  let third!: RawMessage;
  await step('ada writes another post', async () => {
    const r = await write(ada, 'Career note: my first year as a backend developer', 'What I wish I had known: read the logs, write the test first, and ask early.', 'career');
    third = r.card;
    return r.lines;
  });

  await step('mo lists the review queue with /queue', ({ seen }) => seen(mo, discord.runCommand({ userId: mo, name: 'queue', channelId: mods })));

  await step('mo and jules press Approve on that card at the same moment', async ({ seen }) => {
    const id = buttonOf(third, 'Approve');
    const [a, b] = await Promise.all([
      seen(mo, discord.clickButton({ userId: mo, message: third.id, customId: id })),
      seen(jules, discord.clickButton({ userId: jules, message: third.id, customId: id })),
    ]);
    return ['mo:', ...a, 'jules:', ...b, '(one decision is stored; the other moderator is told who decided and when)'];
  });
}
