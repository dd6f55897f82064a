import { DiscordAPIError, Routes, type APIChannel, type APIGuild, type APIGuildMember, type APIUser, type REST } from 'discord.js';
import Stripe from 'stripe';
import type { Config } from '../config.ts';
import { discordChecks, stripeChecks, type Check, type DiscordFacts, type StripeFacts } from './doctor.ts';
import type { Tiers } from './tiers.ts';

export interface DoctorDeps {
  /** A REST client only: the CLI never opens a gateway session. */
  rest: REST;
  stripe: Stripe;
  tiers: Tiers;
  config: Pick<Config, 'guildId' | 'modChannelId' | 'ownerChannelId' | 'stripeWebhookSecret'>;
}

/** Every check, Discord's and Stripe's, fetched concurrently. */
export async function runDoctor(deps: DoctorDeps): Promise<Check[]> {
  const [discord, stripe] = await Promise.all([fetchDiscordFacts(deps.rest, deps.config), fetchStripeFacts(deps.stripe, deps.tiers)]);
  return [...discordChecks(discord, deps.tiers, deps.config.guildId), ...stripeChecks(stripe, deps.tiers, deps.config.stripeWebhookSecret)];
}

const why = (error: unknown): string => (error instanceof DiscordAPIError ? `Discord answered ${error.status} (${error.code}): ${error.message}.` : String(error));

/** Only "Discord refused" becomes a finding; a network failure is thrown so the operator sees it as such. */
async function orProblem<T>(call: () => Promise<T>): Promise<{ value: T | null; problem?: string }> {
  try {
    return { value: await call() };
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status >= 400 && error.status < 500) return { value: null, problem: why(error) };
    throw error;
  }
}

export async function fetchDiscordFacts(rest: REST, config: DoctorDeps['config']): Promise<DiscordFacts> {
  const me = (await rest.get(Routes.user('@me'))) as APIUser;
  const name = me.global_name ?? me.username;
  const [guild, member] = await Promise.all([
    orProblem(async () => (await rest.get(Routes.guild(config.guildId))) as APIGuild),
    orProblem(async () => (await rest.get(Routes.guildMember(config.guildId, me.id))) as APIGuildMember),
  ]);
  const channels = await Promise.all(
    (
      [
        ['MOD_CHANNEL_ID', config.modChannelId],
        ['OWNER_CHANNEL_ID', config.ownerChannelId],
      ] as const
    ).map(async ([setting, id]) => {
      const found = await orProblem(async () => (await rest.get(Routes.channel(id))) as APIChannel);
      return { setting, id, channel: found.value, problem: found.problem };
    }),
  );
  const bot = { userId: me.id, name, roleIds: member.value?.roles ?? [] };
  if (!guild.value || !member.value) return { guild: null, problem: guild.problem ?? member.problem, bot, channels };
  return { guild: { id: guild.value.id, ownerId: guild.value.owner_id, roles: guild.value.roles }, bot, channels };
}

export async function fetchStripeFacts(stripe: Stripe, tiers: Tiers): Promise<StripeFacts> {
  const prices = new Map<string, Stripe.Price | { problem: string }>();
  let livemode: boolean;
  try {
    // The cheapest authenticated read; it also tells test from live mode.
    const page = await stripe.prices.list({ limit: 1 });
    livemode = page.data[0]?.livemode ?? false;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
      return { key: { ok: false, problem: error.message, fix: 'Copy the secret key again from Stripe Dashboard -> Developers -> API keys (a restricted key needs read access to prices).' }, prices };
    }
    if (error instanceof Stripe.errors.StripeError) {
      return { key: { ok: false, problem: `Stripe did not answer: ${error.message}`, fix: 'Check the network (and STRIPE_API_URL, if set), then run the doctor again.' }, prices };
    }
    throw error;
  }
  const ids = [...new Set(tiers.list.flatMap((t) => t.priceIds))];
  await Promise.all(
    ids.map(async (id) => {
      try {
        prices.set(id, await stripe.prices.retrieve(id));
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeError)) throw error;
        prices.set(id, { problem: error.code === 'resource_missing' ? 'No such price in this Stripe account.' : `Stripe answered: ${error.message}` });
      }
    }),
  );
  const found = [...prices.values()].find((p): p is Stripe.Price => !('problem' in p));
  return { key: { ok: true, livemode: found?.livemode ?? livemode }, prices };
}
