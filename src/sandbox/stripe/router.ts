import type { EmulatorCore, RequestRef } from './core.ts';
import type { FormObject } from './form.ts';

export interface ApiContext {
  core: EmulatorCore;
  /** Path parameters, in order. */
  params: string[];
  /** Query parameters merged with the form body: Stripe reads GET parameters from the query and POST parameters from the body. */
  input: FormObject;
  request: RequestRef;
}

export type Handler = (ctx: ApiContext) => unknown;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
}

const SEGMENT = '([^/]+)';

/** `route('GET', '/v1/subscriptions/:id', h)`: path parameters become `ctx.params`. */
export function route(method: Route['method'], path: string, handler: Handler): Route {
  const pattern = new RegExp(`^${path.split('/').map((s) => (s.startsWith(':') ? SEGMENT : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
  return { method, pattern, handler };
}

export function match(routes: Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (m) return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}
