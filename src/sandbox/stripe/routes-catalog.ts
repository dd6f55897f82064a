import { resourceMissing } from './errors.ts';
import { bool, list, str } from './form.ts';
import { paginate } from './list.ts';
import { route, type Route } from './router.ts';

export const catalogRoutes: Route[] = [
  route('GET', '/v1/prices', ({ core, input }) => {
    const active = bool(input.active);
    const product = str(input.product);
    const type = str(input.type);
    const lookupKeys = list(input.lookup_keys).filter((k): k is string => typeof k === 'string');
    return paginate(
      core.store.prices,
      (p) =>
        (active === undefined || p.active === active) &&
        (product === undefined || p.product === product) &&
        (type === undefined || p.type === type) &&
        (lookupKeys.length === 0 || (p.lookup_key !== null && lookupKeys.includes(p.lookup_key))),
      input,
      '/v1/prices',
      'price',
    );
  }),
  route('GET', '/v1/prices/:id', ({ core, params: [id = ''] }) => {
    const price = core.store.prices.get(id);
    if (!price) throw resourceMissing('price', id);
    return price;
  }),
  route('GET', '/v1/products', ({ core, input }) => {
    const active = bool(input.active);
    return paginate(core.store.products, (p) => active === undefined || p.active === active, input, '/v1/products', 'product');
  }),
  route('GET', '/v1/products/:id', ({ core, params: [id = ''] }) => {
    const product = core.store.products.get(id);
    if (!product) throw resourceMissing('product', id);
    return product;
  }),
];
