import { expect } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { SAMPLE, type DiscordEmulator, type VisibleReply } from '../../src/sandbox/discord/index.ts';

/** /ask as a member does it in Discord: the command, the modal, the topic menu, a button. */

export type Fields = { title: string; question: string; code?: string };
type Component = { type: number; custom_id?: string; label?: string; url?: string; options?: { value: string }[]; max_values?: number; components?: Component[] };

export const componentsOf = (reply: VisibleReply): Component[] => (reply.components as Component[]).flatMap((row) => row.components ?? [row]);

export function askHarness(discord: () => DiscordEmulator) {
  const run = async (userId: string) => discord().runCommand({ userId, name: 'ask' }).visibleReply();

  /** Opens the modal and submits it; returns the reply to the submission (the topic menu, or a refusal). */
  const submit = async (userId: string, fields: Fields): Promise<VisibleReply> => {
    const modal = await run(userId);
    expect(modal.kind, `expected the modal, got: ${modal.content}`).toBe('modal');
    return discord().submitModal({ userId, customId: 'ask', fields: { code: '', ...fields } }).visibleReply();
  };

  /** Picks topics in the menu the submission showed; returns what the member sees next. */
  const pick = async (userId: string, menu: VisibleReply, values: string[]): Promise<VisibleReply> => {
    const select = componentsOf(menu).find((c) => c.type === 3);
    expect(select, `no topic menu in: ${menu.content}`).toBeDefined();
    return discord().selectMenu({ userId, message: String(menu.data.id), customId: select!.custom_id!, values }).visibleReply(10_000);
  };

  const click = async (userId: string, reply: VisibleReply, label: string): Promise<VisibleReply> => {
    const button = componentsOf(reply).find((c) => c.type === 2 && c.label === label);
    expect(button, `no "${label}" button in: ${reply.content}`).toBeDefined();
    return discord().clickButton({ userId, message: String(reply.data.id), customId: button!.custom_id! }).visibleReply(10_000);
  };

  const ask = async (userId: string, fields: Fields, topics: string[]) => pick(userId, await submit(userId, fields), topics);

  return { run, submit, pick, click, ask };
}

export async function grant(db: Db, userId: string, tierName: string): Promise<void> {
  await db
    .insertInto('grants')
    .values({ discord_user_id: userId, tier_name: tierName, until: null, granted_by: SAMPLE.ownerId, reason: 'test', created_at: 0, revoked_at: null, revoked_by: null })
    .execute();
}

export const questionsOf = (db: Db, askerId: string) => db.selectFrom('questions').selectAll().where('asker_id', '=', askerId).orderBy('id').execute();

export const member = (n: number) => ({ id: `13000000000000008${String(n).padStart(2, '0')}`, username: `asker${n}`, globalName: `Asker ${n}` });
