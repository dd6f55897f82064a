import type Stripe from 'stripe';
import { newId } from './ids.ts';

/** Builders for customers, products and prices, shaped like the pinned API version's objects. */

/** On the wire a decimal is a string; stripe-node's `Decimal` type describes what it parses that string into. */
export function wireDecimal(value: number): Stripe.Price['unit_amount_decimal'] {
  return String(value) as unknown as Stripe.Price['unit_amount_decimal'];
}

const emptyAddress = (): Stripe.Address => ({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });

export interface CustomerInput {
  id?: string;
  email?: string | null;
  name?: string | null;
  metadata?: Record<string, string>;
  created: number;
}

export function buildCustomer(input: CustomerInput): Stripe.Customer {
  const id = input.id ?? newId('cus');
  return {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created: input.created,
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: input.email ?? null,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata ?? {},
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export function buildProduct(input: { id?: string; name: string; created: number; defaultPrice?: string | null }): Stripe.Product {
  return {
    id: input.id ?? newId('prod'),
    object: 'product',
    active: true,
    created: input.created,
    default_price: input.defaultPrice ?? null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: input.created,
    url: null,
  };
}

export interface PriceInput {
  id: string;
  product: string;
  unitAmount: number;
  currency: string;
  recurring?: { interval: 'month' | 'year' } | null;
  created: number;
}

export function buildPrice(input: PriceInput): Stripe.Price {
  const recurring: Stripe.Price.Recurring | null = input.recurring
    ? { interval: input.recurring.interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' }
    : null;
  return {
    id: input.id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: input.created,
    currency: input.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: input.product,
    recurring,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: input.unitAmount,
    unit_amount_decimal: wireDecimal(input.unitAmount),
  };
}

/** Subscription items still carry the legacy `plan` mirror of their price. */
export function planOf(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring ?? { interval: 'month', interval_count: 1, meter: null, usage_type: 'licensed' as const };
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: typeof price.product === 'string' ? price.product : price.product.id,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: recurring.usage_type,
  };
}

export { emptyAddress };
