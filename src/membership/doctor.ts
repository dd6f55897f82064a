import { ChannelType, PermissionFlagsBits, type APIChannel } from 'discord.js';
import type Stripe from 'stripe';
import { basePermissions, channelPermissions, compareRoles, has, highestRole, type GuildFacts, type MemberFacts } from './doctor-permissions.ts';
import type { Tiers } from './tiers.ts';

/** One line of /doctor and `npm run doctor`: ✅ or ❌, and for a ❌ what to do. */
export interface Check {
  ok: boolean;
  label: string;
  fix?: string;
}

/** What the Discord checks need, fetched over REST (see doctor-run.ts). */
export interface DiscordFacts {
  /** Null when the bot cannot see the guild (not invited, or the wrong DISCORD_GUILD_ID); `problem` says why. */
  guild: GuildFacts | null;
  problem?: string;
  bot: MemberFacts & { name: string };
  channels: { setting: 'MOD_CHANNEL_ID' | 'OWNER_CHANNEL_ID'; id: string; channel: APIChannel | null; problem?: string }[];
}

const fail = (label: string, fix: string): Check => ({ ok: false, label, fix });
const pass = (label: string): Check => ({ ok: true, label });

export function discordChecks(facts: DiscordFacts, tiers: Tiers, guildId: string): Check[] {
  const { guild, bot } = facts;
  if (!guild) {
    return [fail(`${bot.name} can see the server ${guildId}`, `${facts.problem ?? 'It cannot.'} Invite the bot with the URL from the README, or fix DISCORD_GUILD_ID (right-click the server -> Copy Server ID).`)];
  }
  const checks: Check[] = [];
  const top = highestRole(guild, bot);
  const botRole = top?.name ?? bot.name;
  checks.push(
    has(basePermissions(guild, bot), PermissionFlagsBits.ManageRoles)
      ? pass(`${bot.name} has Manage Roles`)
      : fail(`${bot.name} has Manage Roles`, `Server Settings -> Roles -> "${botRole}": turn on Manage Roles.`),
  );
  for (const tier of [...tiers.list].reverse()) {
    const role = guild.roles.find((r) => r.id === tier.roleId);
    const label = `Tier "${tier.name}": its role ${role ? `"${role.name}" ` : ''}exists and sits below ${bot.name}'s highest role`;
    if (!role) checks.push(fail(label, `No role ${tier.roleId} in this server: copy the role id again into your tiers file (Server Settings -> Roles -> right-click -> Copy Role ID).`));
    else if (role.managed || role.id === guild.id) checks.push(fail(label, `"${role.name}" is managed by Discord or an integration, so no bot can hand it out: create a normal role for ${tier.name}.`));
    else if (guild.ownerId !== bot.userId && (!top || compareRoles(role, top) >= 0)) {
      checks.push(fail(label, `Server Settings -> Roles: move the "${botRole}" role above "${role.name}" (a bot can only manage roles below its own highest role).`));
    } else checks.push(pass(label));
  }
  for (const entry of facts.channels) checks.push(channelCheck(guild, bot, entry));
  return checks;
}

const TEXT_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

function channelCheck(guild: GuildFacts, bot: DiscordFacts['bot'], entry: DiscordFacts['channels'][number]): Check {
  const { setting, id, channel } = entry;
  const name = channel && 'name' in channel && channel.name ? `#${channel.name}` : id;
  const label = `${setting} (${name}) exists and ${bot.name} can post there`;
  const copy = `right-click the channel -> Copy Channel ID, and set ${setting} to it`;
  if (!channel) return fail(label, `${entry.problem ?? 'The channel cannot be found.'} In Discord, ${copy}.`);
  if (!('guild_id' in channel) || channel.guild_id !== guild.id) return fail(label, `That channel is not in this server: ${copy}.`);
  if (!TEXT_TYPES.has(channel.type)) return fail(label, `${name} is not a text channel (it is a category, forum or voice channel): pick a text channel, ${copy}.`);
  const bits = channelPermissions(guild, bot, 'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : []);
  const missing = [
    ['View Channel', PermissionFlagsBits.ViewChannel],
    ['Send Messages', PermissionFlagsBits.SendMessages],
    ['Embed Links', PermissionFlagsBits.EmbedLinks],
  ].filter(([, bit]) => !has(bits, bit as bigint)).map(([n]) => n);
  if (missing.length) return fail(label, `Edit ${name} -> Permissions: allow ${missing.join(', ')} for the "${highestRole(guild, bot)?.name ?? bot.name}" role.`);
  return pass(label);
}

/** What the Stripe checks need. A price is the object, or why it could not be read. */
export interface StripeFacts {
  key: { ok: true; livemode: boolean } | { ok: false; problem: string; fix: string };
  prices: ReadonlyMap<string, Stripe.Price | { problem: string }>;
}

export function stripeChecks(facts: StripeFacts, tiers: Tiers, webhookSecret: string): Check[] {
  const checks: Check[] = [];
  const mode = facts.key.ok ? (facts.key.livemode ? 'live mode' : 'test mode') : '';
  checks.push(facts.key.ok ? pass(`Stripe accepts STRIPE_SECRET_KEY (${mode})`) : fail(`Stripe accepts STRIPE_SECRET_KEY: ${facts.key.problem}`, facts.key.fix));
  if (facts.key.ok) {
    for (const tier of [...tiers.list].reverse()) {
      tier.priceIds.forEach((priceId, index) => checks.push(priceCheck(facts.prices.get(priceId), priceId, tier.name, tier.lifetime, index === 0, mode)));
    }
  }
  checks.push(
    /^whsec_\S+$/.test(webhookSecret)
      ? pass('STRIPE_WEBHOOK_SECRET is set (whsec_…)')
      : fail('STRIPE_WEBHOOK_SECRET is set (whsec_…)', 'Copy the signing secret from Stripe Dashboard -> Developers -> Webhooks -> your endpoint.'),
  );
  return checks;
}

function priceCheck(price: Stripe.Price | { problem: string } | undefined, priceId: string, tierName: string, lifetime: boolean, sold: boolean, mode: string): Check {
  const want = lifetime ? 'one-time' : 'recurring';
  const label = `Price ${priceId} (${tierName}${sold ? ', sold by /join' : ''}) exists and is ${want}`;
  if (!price || 'problem' in price) {
    return fail(label, `${price?.problem ?? 'Not found.'} Check the id in your tiers file, and that the price was made in ${mode}, like the key.`);
  }
  const type = price.type === 'recurring' ? 'recurring' : 'one-time';
  if (type !== want) {
    return fail(label, `It is ${type}, but ${tierName} is ${lifetime ? 'a lifetime tier: use a one-time price' : 'a subscription tier: use a recurring price'}, or change "lifetime" in your tiers file.`);
  }
  if (sold && !price.active) return fail(label, 'It is archived, so Checkout cannot sell it: restore it in the Stripe Dashboard, or put an active price first in priceIds.');
  return pass(label);
}

/** The shared rendering: one line per check, the fix indented under each ❌, a summary last. */
export function renderChecks(checks: readonly Check[]): string {
  const lines = checks.flatMap((c) => (c.ok ? [`✅ ${c.label}`] : [`❌ ${c.label}`, `   ↳ ${c.fix ?? 'See the README.'}`]));
  const failed = checks.filter((c) => !c.ok).length;
  lines.push('', failed === 0 ? `All ${checks.length} checks passed.` : `${failed} of ${checks.length} checks failed.`);
  return lines.join('\n');
}
