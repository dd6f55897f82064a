import { resourceMissing } from './errors.ts';
import { mergeMetadata, str } from './form.ts';
import { matchesCreated, paginate } from './list.ts';
import { buildCustomer } from './objects-catalog.ts';
import { route, type Route } from './router.ts';
import { clone } from './store.ts';

export const customerRoutes: Route[] = [
  route('POST', '/v1/customers', ({ core, input, request }) => {
    const customer = buildCustomer({ email: str(input.email) ?? null, name: str(input.name) ?? null, metadata: mergeMetadata({}, input.metadata), created: core.now() });
    customer.description = str(input.description) ?? null;
    core.store.customers.set(customer.id, customer);
    core.emit('customer.created', customer, undefined, request);
    return customer;
  }),
  route('GET', '/v1/customers', ({ core, input }) => {
    const email = str(input.email);
    // Stripe matches the email exactly and case-sensitively.
    return paginate(core.store.customers, (c) => (email === undefined || c.email === email) && matchesCreated(c.created, input.created), input, '/v1/customers', 'customer');
  }),
  route('GET', '/v1/customers/:id', ({ core, params: [id = ''] }) => {
    const customer = core.store.customers.get(id);
    if (!customer) throw resourceMissing('customer', id);
    return customer;
  }),
  route('POST', '/v1/customers/:id', ({ core, params: [id = ''], input, request }) => {
    const customer = core.store.customers.get(id);
    if (!customer) throw resourceMissing('customer', id);
    const before = clone({ email: customer.email, name: customer.name, metadata: customer.metadata });
    if (str(input.email) !== undefined) customer.email = str(input.email) || null;
    if (str(input.name) !== undefined) customer.name = str(input.name) || null;
    customer.metadata = mergeMetadata(customer.metadata, input.metadata);
    core.emit('customer.updated', customer, before, request);
    return customer;
  }),
];
