import type Stripe from 'stripe';
import type { EmulatorCore } from './core.ts';
import { decodeForm, str } from './form.ts';
import { completeCheckout } from './flow-checkout.ts';
import { cancelSubscription, updateSubscription } from './flow-billing.ts';
import { periodOf } from './objects-subscription.ts';
import { newestFirst } from './store.ts';

/** The hosted Checkout and Billing Portal pages, reduced to plain HTML forms so a person exploring the sandbox can pay and cancel. */

export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (amount: number | null, currency: string): string => `${((amount ?? 0) / 100).toFixed(2)} ${currency.toUpperCase()}`;
const date = (ts: number): string => new Date(ts * 1000).toISOString().slice(0, 10);

function html(title: string, body: string, status = 200): PageResponse {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}button{padding:.5rem 1rem;margin:.2rem}li{margin:.8rem 0}.note{color:#666;font-size:.9rem}</style>
</head><body><h1>${esc(title)}</h1>${body}<p class="note">Guildhall sandbox — a local stand-in for Stripe. No real payment is taken.</p></body></html>`;
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page };
}

const redirect = (location: string): PageResponse => ({ status: 303, headers: { location }, body: '' });

function checkoutPage(core: EmulatorCore, session: Stripe.Checkout.Session): PageResponse {
  if (session.status !== 'open') {
    const back = session.success_url && session.status === 'complete' ? `<p><a href="${esc(session.success_url)}">Continue</a></p>` : '';
    return html('Checkout', `<p>This checkout is ${esc(session.status ?? 'closed')}.</p>${back}`);
  }
  const items = core.store.checkoutExtras.get(session.id)?.lineItems ?? [];
  const lines = items.map((i) => `<li>${esc(String(core.store.products.get(String(i.price.product))?.name ?? i.price.id))} × ${i.quantity}: ${money(i.price.unit_amount, i.price.currency)}${i.price.recurring ? ` / ${esc(i.price.recurring.interval)}` : ''}</li>`);
  const cancel = session.cancel_url ? ` <a href="${esc(session.cancel_url)}">Cancel</a>` : '';
  return html(
    'Checkout',
    `<ul>${lines.join('')}</ul><p>Total: <b>${money(session.amount_total, session.currency ?? 'usd')}</b></p>
<form method="post" action="/checkout/${esc(session.id)}/pay"><label>Email <input name="email" type="email" value="${esc(session.customer_email ?? '')}"></label>
<p><button type="submit">Pay</button>${cancel}</p></form>`,
  );
}

function portalPage(core: EmulatorCore, portal: Stripe.BillingPortal.Session): PageResponse {
  const subs = newestFirst(core.store.subscriptions).filter((s) => s.customer === portal.customer && s.status !== 'canceled');
  const prices = newestFirst(core.store.prices).filter((p) => p.type === 'recurring');
  const base = `/portal/${esc(portal.id)}`;
  const rows = subs.map((s) => {
    const price = s.items.data[0]?.price;
    const state = s.cancel_at_period_end ? `cancels on ${date(periodOf(s).end)}` : `${s.status}, renews ${date(periodOf(s).end)}`;
    const action = s.cancel_at_period_end ? 'resume' : 'cancel';
    const switches = prices.filter((p) => p.id !== price?.id).map((p) => `<button name="price" value="${esc(p.id)}">Switch to ${esc(core.store.products.get(String(p.product))?.name ?? p.id)}</button>`);
    return `<li><b>${esc(price ? (core.store.products.get(String(price.product))?.name ?? price.id) : s.id)}</b> — ${esc(state)}
<form method="post" action="${base}/${action}/${esc(s.id)}"><button>${action === 'cancel' ? 'Cancel plan' : 'Renew plan'}</button></form>
<form method="post" action="${base}/switch/${esc(s.id)}">${switches.join('')}</form></li>`;
  });
  const back = portal.return_url ? `<p><a href="${esc(portal.return_url)}">Return</a></p>` : '';
  return html('Billing', `${rows.length ? `<ul>${rows.join('')}</ul>` : '<p>No active subscriptions.</p>'}${back}`);
}

/** Serves `/checkout/…` and `/portal/…`; returns undefined for any other path. */
export async function handlePage(core: EmulatorCore, method: string, path: string, rawBody: string): Promise<PageResponse | undefined> {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [area, id = '', action, target = ''] = parts;
  if (area === 'checkout') {
    const session = core.store.checkoutSessions.get(id);
    if (!session) return html('Checkout', '<p>This checkout link is not valid.</p>', 404);
    if (method === 'GET' && !action) return checkoutPage(core, session);
    if (method === 'POST' && action === 'pay' && session.status === 'open') {
      const email = str(decodeForm(rawBody).email);
      await completeCheckout(core, id, email ? { email } : {});
      return session.success_url ? redirect(session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id)) : redirect(`/checkout/${id}`);
    }
    return redirect(`/checkout/${id}`);
  }
  if (area === 'portal') {
    const portal = core.store.portalSessions.get(id);
    if (!portal) return html('Billing', '<p>This billing link is not valid.</p>', 404);
    if (method === 'GET') return portalPage(core, portal);
    const sub = core.store.subscriptions.get(target);
    if (!sub || sub.customer !== portal.customer) return html('Billing', '<p>No such subscription.</p>', 404);
    if (action === 'cancel') await cancelSubscription(core, sub.id, { atPeriodEnd: true });
    if (action === 'resume') updateSubscription(core, sub, { cancelAtPeriodEnd: false });
    const price = core.store.prices.get(str(decodeForm(rawBody).price) ?? '');
    if (action === 'switch' && price) updateSubscription(core, sub, { price: { price } });
    return redirect(`/portal/${id}`);
  }
  return undefined;
}
