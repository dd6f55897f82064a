// DMs Discord refused because the member's DMs are closed (50007). The outbox keeps the message
// here, and the dispatcher shows it privately with the member's next interaction, so a verdict or
// a review outcome reaches its member either way.
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { DbOrTrx } from '../membership/outbox.ts';
import type { Deps } from './command.ts';
import { NO_PINGS } from './respond.ts';

/** At most this many waiting notices are shown per interaction; the rest wait for the next one. */
const PER_INTERACTION = 3;

export async function saveNotice(trx: DbOrTrx, notice: { userId: string; body: unknown; source: string; now: number }): Promise<void> {
  await trx
    .insertInto('member_notices')
    .values({ user_id: notice.userId, body: JSON.stringify(notice.body), source: notice.source, created_at: notice.now, shown_at: null })
    .execute();
}

/**
 * Shows waiting notices as ephemeral follow-ups once the interaction has been answered (a modal
 * that was just opened cannot be followed up; the notices then wait for the next interaction).
 * Each is marked shown only after Discord accepted it.
 */
export async function deliverNotices(interaction: RepliableInteraction, deps: Pick<Deps, 'db' | 'clock' | 'logger'>): Promise<number> {
  if (!interaction.replied && !interaction.deferred) return 0;
  const waiting = await deps.db
    .selectFrom('member_notices')
    .select(['id', 'body'])
    .where('user_id', '=', interaction.user.id)
    .where('shown_at', 'is', null)
    .orderBy('id')
    .limit(PER_INTERACTION)
    .execute();
  let shown = 0;
  for (const notice of waiting) {
    const body = JSON.parse(notice.body) as { content?: string; embeds?: unknown[]; components?: unknown[] };
    await interaction.followUp({
      content: `📬 Your DMs are closed, so this waited for you here:\n${body.content ?? ''}`.slice(0, 2000),
      embeds: (body.embeds ?? []) as never[],
      components: (body.components ?? []) as never[],
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    await deps.db.updateTable('member_notices').set({ shown_at: deps.clock.now() }).where('id', '=', notice.id).execute();
    shown++;
  }
  return shown;
}
