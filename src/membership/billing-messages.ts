import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';

/**
 * Messages the Stripe handlers queue. DMs carry a `billing` button rather than a portal URL: the
 * /billing component handler opens a fresh Billing Portal session when it is clicked, so a DM
 * read days later never holds a stale or reusable link.
 */
export const BILLING_BUTTON_ID = 'billing';

const billingRow = (label: string): APIActionRowComponent<APIButtonComponent> => ({
  type: ComponentType.ActionRow,
  components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: BILLING_BUTTON_ID, label }],
});

/** Discord renders `<t:…:f>` in the reader's own time zone. */
const at = (ms: number, style: 'f' | 'R' = 'f') => `<t:${Math.floor(ms / 1000)}:${style}>`;

export function paymentFailedDm(accessUntil: number, tierName: string | null): RESTPostAPIChannelMessageJSONBody {
  return {
    content:
      `Your payment for ${tierName ? `the **${tierName}** membership` : 'your membership'} did not go through. ` +
      `You keep access until ${at(accessUntil)} (${at(accessUntil, 'R')}) while Stripe retries. ` +
      'Update your payment method to keep it:',
    components: [billingRow('Update payment method')],
  };
}

export function trialEndingDm(trialEnd: number, tierName: string | null): RESTPostAPIChannelMessageJSONBody {
  return {
    content:
      `Your free trial of ${tierName ? `the **${tierName}** membership` : 'your membership'} ends ${at(trialEnd)} (${at(trialEnd, 'R')}). ` +
      'After that your saved payment method is charged. To change or cancel it:',
    components: [billingRow('Manage billing')],
  };
}

export interface DisputeAlert {
  userId: string | null;
  disputeId: string;
  amount: number;
  currency: string;
  reason: string;
  /** What happened to access: a lifetime purchase loses it; a subscription keeps it until owners decide. */
  effect: 'lifetime_revoked' | 'subscription_unchanged' | 'unknown_payment';
}

/** Names the member as a mention for context; the outbox adds allowed_mentions { parse: [] }, so nobody is pinged. */
export function disputeAlert(d: DisputeAlert): RESTPostAPIChannelMessageJSONBody {
  const who = d.userId ? `<@${d.userId}>` : 'a payer we cannot match to a member';
  const money = `${(d.amount / 100).toFixed(2)} ${d.currency.toUpperCase()}`;
  const effect = {
    lifetime_revoked: 'It paid for a lifetime tier, so that access was removed.',
    subscription_unchanged: 'It paid for a subscription: access is unchanged (Stripe’s subscription status governs it). Decide whether to cancel the subscription in the Stripe Dashboard.',
    unknown_payment: 'No membership of ours matches this payment.',
  }[d.effect];
  return {
    content: `⚠️ A payment by ${who} was disputed (${money}, reason: ${d.reason}, dispute \`${d.disputeId}\`). ${effect} Respond to the dispute in the Stripe Dashboard before its deadline.`,
  };
}
