import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

/** Either the database or an open transaction: outbox rows go in the caller's transaction. */
export type DbOrTrx = Db | Transaction<Database>;

export interface RoleChange {
  userId: string;
  roleId: string;
  action: 'add' | 'remove';
  /** Shown in Discord's audit log (X-Audit-Log-Reason) and the owners' audit line. */
  reason: string;
  /** What caused it: "stripe:evt_…", "grant:12", "reconcile", "expiry". */
  source: string;
  now: number;
}

/**
 * Queues a role change. Only the latest intent per (member, role) matters, so any earlier change
 * for the same pair that has not been applied yet is superseded: a quick add-then-remove can
 * never be applied in the wrong order.
 */
export async function enqueueRoleChange(trx: DbOrTrx, change: RoleChange): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({ status: 'superseded', done_at: change.now })
    .where('discord_user_id', '=', change.userId)
    .where('role_id', '=', change.roleId)
    .where('status', 'in', ['pending', 'waiting_member'])
    .execute();
  await trx
    .insertInto('outbox')
    .values({
      kind: change.action === 'add' ? 'role_add' : 'role_remove',
      discord_user_id: change.userId,
      role_id: change.roleId,
      payload: '{}',
      dedupe_key: null,
      status: 'pending',
      next_attempt_at: change.now,
      last_error: null,
      reason: change.reason,
      source: change.source,
      created_at: change.now,
      done_at: null,
    })
    .execute();
}

export type MessageTarget = { channelId: string } | { userId: string };

/** A file sent with a message (multipart upload), e.g. the weekly digest's chart. */
export interface OutboxFile {
  /** The attachment's file name, as `attachment://<name>` in embeds refers to it. */
  name: string;
  data: Uint8Array;
}

export interface QueuedMessage {
  target: MessageTarget;
  body: RESTPostAPIChannelMessageJSONBody;
  /** Uploaded with the message; stored base64 in the row so a retry sends the same bytes. */
  files?: readonly OutboxFile[];
  /** A second message with the same key is dropped: one DM per event, one alert per problem. */
  dedupeKey: string;
  reason: string;
  source: string;
  now: number;
}

/** Queues an important message (a DM, an alert) so a crash or an outage cannot lose it. */
export async function enqueueMessage(trx: DbOrTrx, message: QueuedMessage): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      kind: 'message',
      discord_user_id: 'userId' in message.target ? message.target.userId : null,
      role_id: null,
      payload: JSON.stringify({
        target: message.target,
        body: { allowed_mentions: { parse: [] }, ...message.body },
        ...(message.files?.length ? { files: message.files.map((f) => ({ name: f.name, dataBase64: Buffer.from(f.data).toString('base64') })) } : {}),
      }),
      dedupe_key: message.dedupeKey,
      status: 'pending',
      next_attempt_at: message.now,
      last_error: null,
      reason: message.reason,
      source: message.source,
      created_at: message.now,
      done_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}
