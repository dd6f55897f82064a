import type Stripe from 'stripe';
import { newCheckoutSessionId, newId } from './ids.ts';

/** Checkout and Billing Portal sessions as the pinned API version returns them. */

export interface CheckoutSessionInput {
  mode: 'subscription' | 'payment';
  baseUrl: string;
  created: number;
  amountTotal: number;
  currency: string;
  customer?: string | null;
  customerEmail?: string | null;
  customerCreation?: 'always' | 'if_required' | null;
  clientReferenceId?: string | null;
  metadata?: Record<string, string>;
  allowPromotionCodes?: boolean | null;
  successUrl?: string | null;
  cancelUrl?: string | null;
}

export function buildCheckoutSession(input: CheckoutSessionInput): Stripe.Checkout.Session {
  const id = newCheckoutSessionId();
  const payment = input.mode === 'payment';
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: input.allowPromotionCodes ?? null,
    allowed_payment_method_types: null,
    amount_subtotal: input.amountTotal,
    amount_total: input.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl ?? null,
    client_reference_id: input.clientReferenceId ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: input.created,
    currency: input.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer ?? null,
    customer_account: null,
    // Subscription mode always ends with a customer, so Stripe reports no creation policy for it.
    customer_creation: payment ? (input.customerCreation ?? 'if_required') : null,
    customer_details: null,
    customer_email: input.customerEmail ?? null,
    discounts: [],
    expires_at: input.created + 24 * 3600,
    integration_identifier: null,
    invoice: null,
    invoice_creation: payment
      ? { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } }
      : null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: input.metadata ?? {},
    mode: input.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: payment ? null : 'always',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: { allow_redisplay_filters: ['always'], payment_method_remove: null, payment_method_save: null },
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: input.successUrl ?? null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: `${input.baseUrl}/checkout/${id}`,
    wallet_options: null,
  };
}

export function customerDetailsFor(customer: { email: string | null; name?: string | null } | null, email: string | null): Stripe.Checkout.Session.CustomerDetails {
  return {
    address: { city: null, country: 'US', line1: null, line2: null, postal_code: '94103', state: null },
    business_name: null,
    email: customer?.email ?? email,
    individual_name: null,
    name: customer?.name ?? null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
}

export function buildPortalSession(input: { customer: string; returnUrl: string | null; baseUrl: string; created: number }): Stripe.BillingPortal.Session {
  const id = newId('bps');
  return {
    id,
    object: 'billing_portal.session',
    configuration: 'bpc_sandbox_default',
    created: input.created,
    customer: input.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: input.returnUrl,
    url: `${input.baseUrl}/portal/${id}`,
  };
}
