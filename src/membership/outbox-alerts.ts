// Alerts to the owners' channel when the outbox cannot do its job, each saying what to fix.
// Queued through the outbox itself, in the transaction that marks the operation failed, and
// deduplicated per problem per UTC day: a thousand members hitting the same misplaced role make
// one alert, and the same problem coming back tomorrow is said again.
import type { OutboxKind } from '../db/schema.ts';
import { DiscordCode } from './outbox-errors.ts';
import { enqueueMessage, type DbOrTrx } from './outbox.ts';
import type { Tiers } from './tiers.ts';

const DAY_MS = 86_400_000;

export interface AlertContext {
  ownerChannelId: string;
  tiers: Tiers;
  /** The bot's role carries its name on Discord ("Guildhall"). */
  botName: string;
  now: number;
}

/** The fix, in the owner's words. The role is mentioned (<@&id>) so it renders; nobody is pinged (parse: []). */
export function roleAlertText(input: { roleId: string; kind: OutboxKind; code: number; tierName: string | undefined; botName: string }): string {
  const role = `<@&${input.roleId}>`;
  const tier = input.tierName ?? 'that role';
  if (input.code === DiscordCode.UnknownRole) {
    return `⚠️ The ${tier} role (${role}, id ${input.roleId}) no longer exists on this server, so I can't give or remove it: create it again, put its id in the tiers file, restart me, then run /doctor.`;
  }
  const verb = input.kind === 'role_add' ? `give ${role}` : `remove ${role}`;
  return (
    `⚠️ I can't ${verb}: move the ${input.botName} role above ${tier} in Server Settings → Roles ` +
    `(and check it has Manage Roles), then run /doctor. The next reconciliation applies what was missed.`
  );
}

export async function queueRoleAlert(trx: DbOrTrx, ctx: AlertContext, input: { roleId: string; kind: OutboxKind; code: number }): Promise<void> {
  const tierName = ctx.tiers.list.find((t) => t.roleId === input.roleId)?.name;
  await enqueueMessage(trx, {
    target: { channelId: ctx.ownerChannelId },
    body: { content: roleAlertText({ ...input, tierName, botName: ctx.botName }), allowed_mentions: { parse: [] } },
    dedupeKey: `alert:role:${input.roleId}:${input.code}:${Math.floor(ctx.now / DAY_MS)}`,
    reason: 'outbox alert',
    source: `outbox:${input.code}`,
    now: ctx.now,
  });
}

/** After maxAttempts of outages; roles heal at the next reconciliation, messages are lost and we say so. */
export async function queueGaveUpAlert(trx: DbOrTrx, ctx: AlertContext, input: { kind: OutboxKind; attempts: number; error: string }): Promise<void> {
  const what = input.kind === 'message' ? 'a message (a DM or an alert)' : 'a role change';
  const after = input.kind === 'message' ? 'It was not sent.' : 'The next reconciliation queues it again.';
  await enqueueMessage(trx, {
    target: { channelId: ctx.ownerChannelId },
    body: {
      content: `⚠️ I gave up on ${what} after ${input.attempts} attempts; the last error was \`${input.error.slice(0, 200)}\`. Discord may be having an outage (discordstatus.com). ${after}`,
      allowed_mentions: { parse: [] },
    },
    dedupeKey: `alert:gave-up:${input.kind}:${Math.floor(ctx.now / DAY_MS)}`,
    reason: 'outbox alert',
    source: 'outbox:gave-up',
    now: ctx.now,
  });
}
