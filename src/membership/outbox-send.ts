// The Discord side of one outbox row: a role change or a message, through discord.js's REST client
// (its per-bucket queues, global limit and retries apply). Throws what discord.js throws.
import { Routes, type REST } from 'discord.js';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { OutboxTable } from '../db/schema.ts';
import { UnusableOutboxRow } from './outbox-errors.ts';

export type OutboxRow = Selectable<OutboxTable>;

/** Discord keeps at most 512 characters of an audit-log reason. */
const MAX_REASON = 512;

const snowflake = z.string().regex(/^\d{17,20}$/);
const payloadSchema = z.object({
  target: z.union([z.object({ channelId: snowflake }), z.object({ userId: snowflake })]),
  body: z.record(z.string(), z.unknown()),
  /** Optional uploads (see OutboxFile in outbox.ts); Discord allows 10 per message. */
  files: z.array(z.object({ name: z.string().regex(/^[\w.-]{1,100}$/), dataBase64: z.string().min(1) })).max(10).optional(),
});

/**
 * The message nonce for a row. With `enforce_nonce`, Discord returns the earlier message instead
 * of posting again when the same nonce comes back within a few minutes: a crash between Discord's
 * answer and our commit cannot post twice. created_at keeps it unique if the database is ever
 * recreated and ids start over. At most 25 characters, as Discord requires.
 */
export function nonceFor(row: Pick<OutboxRow, 'id' | 'created_at'>): string {
  return `gh${row.id.toString(36)}.${row.created_at.toString(36)}`;
}

export interface SendTarget {
  rest: REST;
  guildId: string;
  /** Guildhall only ever touches these roles. */
  managedRoleIds: ReadonlySet<string>;
}

export async function applyRow(target: SendTarget, row: OutboxRow): Promise<void> {
  if (row.kind === 'message') return sendMessage(target.rest, row);
  const userId = row.discord_user_id;
  const roleId = row.role_id;
  if (!userId || !roleId) throw new UnusableOutboxRow(`outbox row ${row.id} (${row.kind}) has no member or role`);
  // A row queued before the tiers file changed may name a role Guildhall no longer manages.
  if (!target.managedRoleIds.has(roleId)) throw new UnusableOutboxRow(`role ${roleId} is not a tier, reward or champion role in the configuration, so Guildhall does not touch it`);
  const route = Routes.guildMemberRole(target.guildId, userId, roleId);
  // discord.js sends `reason` as X-Audit-Log-Reason (URL-encoded): it shows in Discord's audit log.
  const reason = row.reason.slice(0, MAX_REASON);
  // Both are idempotent on Discord: re-applying after a crash changes nothing and logs nothing.
  if (row.kind === 'role_add') await target.rest.put(route, { reason });
  else await target.rest.delete(route, { reason });
}

async function sendMessage(rest: REST, row: OutboxRow): Promise<void> {
  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(row.payload));
  } catch (error) {
    throw new UnusableOutboxRow(`outbox row ${row.id} has an invalid message payload: ${(error as Error).message.slice(0, 200)}`);
  }
  const channelId =
    'channelId' in payload.target
      ? payload.target.channelId
      : // Discord answers with the existing DM channel when there is one.
        ((await rest.post(Routes.userChannels(), { body: { recipient_id: payload.target.userId } })) as { id: string }).id;
  await rest.post(Routes.channelMessages(channelId), {
    body: { allowed_mentions: { parse: [] }, ...payload.body, nonce: nonceFor(row), enforce_nonce: true },
    ...(payload.files ? { files: payload.files.map((f) => ({ name: f.name, data: Buffer.from(f.dataBase64, 'base64') })) } : {}),
  });
}
