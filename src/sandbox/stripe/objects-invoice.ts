import type Stripe from 'stripe';
import { newId } from './ids.ts';
import { wireDecimal } from './objects-catalog.ts';

/**
 * Invoices as the pinned API version returns them. Since 2025-03-31 an invoice names its
 * subscription under `parent.subscription_details`, no longer at the top level.
 */

export interface InvoiceInput {
  subscription: Stripe.Subscription;
  customer: Stripe.Customer;
  billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update';
  status: 'open' | 'paid';
  created: number;
  period: { start: number; end: number };
  attemptCount?: number;
  nextPaymentAttempt?: number | null;
  /** A trial's first invoice bills nothing. */
  free?: boolean;
}

function lineFor(invoiceId: string, sub: Stripe.Subscription, item: Stripe.SubscriptionItem, period: { start: number; end: number }, free: boolean): Stripe.InvoiceLineItem {
  const quantity = item.quantity ?? 1;
  const amount = free ? 0 : (item.price.unit_amount ?? 0) * quantity;
  const product = typeof item.price.product === 'string' ? item.price.product : item.price.product.id;
  return {
    id: newId('il'),
    object: 'line_item',
    amount,
    currency: item.price.currency,
    description: `${quantity} × ${product} (at ${(amount / 100).toFixed(2)} / ${item.price.recurring?.interval ?? 'month'})`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: {
      invoice_item_details: null,
      subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: sub.id, subscription_item: item.id },
      type: 'subscription_item_details',
    },
    period: { end: period.end, start: period.start },
    pretax_credit_amounts: [],
    pricing: { price_details: { price: item.price.id, product }, type: 'price_details', unit_amount_decimal: item.price.unit_amount_decimal },
    quantity,
    quantity_decimal: wireDecimal(quantity),
    subscription: sub.id,
    subtotal: amount,
    taxes: [],
  };
}

export function buildInvoice(input: InvoiceInput): Stripe.Invoice {
  const id = newId('in');
  const { subscription: sub, customer, period, created } = input;
  // A subscription invoice bills the period that starts when it is created.
  const lines = sub.items.data.map((item) => lineFor(id, sub, item, period, input.free ?? false));
  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  const paid = input.status === 'paid';
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Guildhall Sandbox',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: paid ? total : 0,
    amount_remaining: paid ? 0 : total,
    amount_shipping: 0,
    application: null,
    attempt_count: input.attemptCount ?? 1,
    attempted: true,
    auto_advance: !paid,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    created,
    currency: sub.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `https://invoice.stripe.com/i/acct_sandbox/test_${id}`,
    invoice_pdf: `https://pay.stripe.com/invoice/acct_sandbox/test_${id}/pdf`,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: paid ? null : (input.nextPaymentAttempt ?? null),
    number: `${customer.invoice_prefix ?? 'SANDBOX'}-${String(customer.next_invoice_sequence ?? 1).padStart(4, '0')}`,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
      type: 'subscription_details',
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: created,
    period_start: created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: input.status,
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: paid ? created : null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: created,
  };
}
