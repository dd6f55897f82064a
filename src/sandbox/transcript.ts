import type { EmulatorState, RecordedRequest, VisibleReply } from './discord/index.ts';

interface RawEmbed { title?: string; description?: string; fields?: { name: string; value: string }[] }
interface RawComponent { type: number; label?: string; placeholder?: string; url?: string; components?: RawComponent[]; options?: { label: string }[] }

/** `<t:1700000000:f>` as a reader would see it (in UTC: the transcript has no viewer's locale). */
export function renderMarkdown(text: string): string {
  return text
    .replace(/<t:(\d+)(?::\w)?>/g, (_m, s: string) => new Date(Number(s) * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC')
    .replace(/\*\*(.+?)\*\*/g, '$1');
}

function indent(lines: string[], prefix: string): string[] {
  return lines.map((l) => `${prefix}${l}`);
}

function components(rows: RawComponent[]): string[] {
  const out: string[] = [];
  for (const row of rows) {
    for (const c of row.components ?? [row]) {
      if (c.type === 2) out.push(`[button: ${c.label ?? ''}${c.url ? ` -> ${c.url}` : ''}]`);
      else if (c.type === 3) out.push(`[menu: ${c.placeholder ?? ''} (${(c.options ?? []).map((o) => o.label).join(', ')})]`);
      else if (c.type === 4) out.push(`[text field: ${c.label ?? ''}]`);
    }
  }
  return out;
}

/** What a member saw, as plain lines. */
export function describeReply(reply: VisibleReply, who: string): string[] {
  const audience = reply.ephemeral ? `only ${who} sees` : 'everyone in the channel sees';
  const lines: string[] = [];
  if (reply.kind === 'modal') lines.push(`a form "${String(reply.data.title ?? '')}"`);
  if (reply.content) lines.push(...renderMarkdown(reply.content).split('\n'));
  for (const embed of reply.embeds as RawEmbed[]) {
    if (embed.title) lines.push(`┌ ${renderMarkdown(embed.title)}`);
    if (embed.description) lines.push(...indent(renderMarkdown(embed.description).split('\n'), '│ '));
    for (const f of embed.fields ?? []) lines.push(...renderMarkdown(`${f.name}: ${f.value}`).split('\n').map((l) => `│ ${l}`));
  }
  lines.push(...components(reply.components as RawComponent[]));
  return [`◀ ${audience} (${reply.kind}):`, ...indent(lines, '    ')];
}

/** The bot's REST calls, with ids folded (or named, for members and roles) so a reader sees the kind of call. */
export function describeRequests(requests: RecordedRequest[], state?: EmulatorState): string[] {
  const named = (path: string) =>
    state ? path.replace(/\/members\/(\d+)\/roles\/(\d+)/, (_m, u: string, r: string) => `/members/${state.users.get(u)?.username ?? u}/roles/${state.roles.get(r)?.name ?? r}`) : path;
  return requests.map((r) => {
    const route = named(r.path)
      .replace(/^\/api\/v10/, '')
      .replace(/\/interactions\/\d+\/[^/]+\/callback/, '/interactions/:id/:token/callback')
      .replace(/\/webhooks\/(\d+)\/[^/]+/, '/webhooks/$1/:token');
    const body = r.body as { type?: number; data?: { flags?: number }; flags?: number } | undefined;
    const ephemeral = ((body?.data?.flags ?? body?.flags ?? 0) & 64) !== 0 ? ' (ephemeral)' : '';
    const count = Array.isArray(r.body) ? ` (${r.body.length} items)` : '';
    const reason = r.headers['x-audit-log-reason'] ? ` (audit log: "${decodeURIComponent(r.headers['x-audit-log-reason'])}")` : '';
    return `⚙ bot did: ${r.method} ${route}${count}${ephemeral}${reason} -> ${r.status}`;
  });
}
