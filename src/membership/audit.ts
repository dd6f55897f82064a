// The owners' audit trail: every role the outbox granted or revoked, posted in batches to
// OWNER_CHANNEL_ID so a busy hour is one message. Run it on a schedule, then kick the outbox.
import type { Selectable } from 'kysely';
import type { RoleAuditTable } from '../db/schema.ts';
import { enqueueMessage, type DbOrTrx } from './outbox.ts';

// Lines go in embed descriptions rather than content: content stops at 2,000 characters (about 14
// lines), a message's embeds carry 6,000 (about 40). Mentions render in embeds and never ping.
const DESCRIPTION_MAX = 4_096;
const MESSAGE_MAX = 6_000;
const EMBEDS_MAX = 10;
const TITLE = 'Role changes';
const REASON_MAX = 300;

type AuditRow = Selectable<RoleAuditTable>;

/** `<t:1764061200:t> granted <@&ROLE> to <@USER>: reason (source)`; Discord shows the time in each reader's timezone. */
export function renderAuditLine(row: Pick<AuditRow, 'action' | 'role_id' | 'discord_user_id' | 'reason' | 'source' | 'at'>): string {
  const flat = (s: string, max: number) => {
    const one = s.replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
  };
  const change = row.action === 'granted' ? `granted <@&${row.role_id}> to` : `revoked <@&${row.role_id}> from`;
  return `<t:${Math.floor(row.at / 1000)}:t> ${change} <@${row.discord_user_id}>: ${flat(row.reason, REASON_MAX)} (${flat(row.source, 100)})`;
}

interface Chunk {
  firstId: number;
  lastId: number;
  /** Each entry is one embed description. */
  descriptions: string[];
}

/** Packs lines, in order, into as few messages as Discord's embed limits allow. */
export function packAuditLines(rows: readonly AuditRow[]): Chunk[] {
  const chunks: Chunk[] = [];
  let chunk: Chunk | undefined;
  let size = 0;
  for (const row of rows) {
    const line = renderAuditLine(row);
    const last = chunk?.descriptions.at(-1);
    if (chunk && last !== undefined && last.length + 1 + line.length <= DESCRIPTION_MAX && size + 1 + line.length <= MESSAGE_MAX) {
      chunk.descriptions[chunk.descriptions.length - 1] = `${last}\n${line}`;
      size += 1 + line.length;
    } else if (chunk && chunk.descriptions.length < EMBEDS_MAX && size + line.length <= MESSAGE_MAX) {
      chunk.descriptions.push(line);
      size += line.length;
    } else {
      chunk = { firstId: row.id, lastId: row.id, descriptions: [line] };
      chunks.push(chunk);
      size = TITLE.length + line.length;
    }
    chunk.lastId = row.id;
  }
  return chunks;
}

/**
 * Queues every unposted audit row as lines in the owners' channel and marks them posted, in one
 * transaction: each line is posted once, even across crashes. Returns what was queued.
 */
export async function flushAudit(db: DbOrTrx, opts: { ownerChannelId: string; now: number }): Promise<{ lines: number; messages: number }> {
  const run = async (trx: DbOrTrx) => {
    const rows = await trx.selectFrom('role_audit').selectAll().where('posted_at', 'is', null).orderBy('id').execute();
    if (rows.length === 0) return { lines: 0, messages: 0 };
    const chunks = packAuditLines(rows);
    for (const chunk of chunks) {
      await enqueueMessage(trx, {
        target: { channelId: opts.ownerChannelId },
        body: {
          embeds: chunk.descriptions.map((description, i) => ({ ...(i === 0 ? { title: TITLE } : {}), description })),
          allowed_mentions: { parse: [] },
        },
        dedupeKey: `audit:${chunk.firstId}-${chunk.lastId}`,
        reason: 'role audit',
        source: `role_audit:${chunk.firstId}-${chunk.lastId}`,
        now: opts.now,
      });
    }
    // By id range: a row inserted meanwhile has a higher id and waits for the next flush.
    await trx.updateTable('role_audit').set({ posted_at: opts.now }).where('posted_at', 'is', null).where('id', '<=', rows.at(-1)!.id).execute();
    return { lines: rows.length, messages: chunks.length };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
