// Gateway discovery, the bot's user and application, and command registration.
import { randomBytes } from 'node:crypto';
import { bulkOverwrite, toCommand, validateCommand } from './commands.ts';
import { objectBody, param, type RequestContext } from './context.ts';
import { ApiError, Errors, type Route, type RouteResult } from './http-util.ts';
import type { RawObject } from './types.ts';

export interface AppRouteOptions {
  gatewayUrl: () => string;
}

function application(ctx: RequestContext): RawObject {
  const owner = ctx.state.users.get(ctx.state.guild.ownerId) ?? { id: ctx.state.guild.ownerId, username: 'owner', global_name: null, discriminator: '0', avatar: null, public_flags: 0, flags: 0 };
  return {
    id: ctx.state.applicationId,
    name: ctx.state.botUser.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    is_monetized: false,
    is_verified: false,
    is_discoverable: false,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: randomBytes(32).toString('hex'),
    flags: 0,
    flags_new: '0',
    hook: true,
    storefront_available: false,
    integration_types_config: { 0: {} },
    approximate_guild_count: 1,
    approximate_user_install_count: 0,
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
    approximate_user_authorization_count: 0,
    explicit_content_filter: 0,
    eligible_oauth2_scopes: ['bot', 'applications.commands'],
    tags: [],
    owner,
    team: null,
    bot: ctx.state.botUser,
  };
}

function assertApp(ctx: RequestContext): void {
  if (param(ctx, 'applicationId') !== ctx.state.applicationId) throw new ApiError(403, 50001, 'Missing Access');
}

function commandSet(ctx: RequestContext): { list: RawObject[]; guildId?: string; set: (l: RawObject[]) => void } {
  assertApp(ctx);
  if (!('guildId' in ctx.params)) return { list: ctx.state.globalCommands, set: (l) => (ctx.state.globalCommands = l) };
  if (param(ctx, 'guildId') !== ctx.state.guild.id) throw Errors.missingAccess();
  return { list: ctx.state.guildCommands, guildId: ctx.state.guild.id, set: (l) => (ctx.state.guildCommands = l) };
}

function putCommands(ctx: RequestContext): RouteResult {
  const target = commandSet(ctx);
  const next = bulkOverwrite(ctx.state, target.list, ctx.body, target.guildId);
  target.set(next);
  ctx.log(`commands: bulk overwrite ${target.guildId ? 'guild' : 'global'} -> ${next.map((c) => c.name).join(', ') || '(none)'}`);
  return { status: 200, body: next };
}

function postCommand(ctx: RequestContext): RouteResult {
  const target = commandSet(ctx);
  const body = objectBody(ctx);
  const errors = validateCommand(body);
  if (errors) throw new ApiError(400, 50035, 'Invalid Form Body', errors);
  const command = toCommand(ctx.state, target.list, body, target.guildId);
  const existed = target.list.some((c) => c.id === command.id);
  target.set([...target.list.filter((c) => c.id !== command.id), command]);
  return { status: existed ? 200 : 201, body: command };
}

function deleteCommand(ctx: RequestContext): RouteResult {
  const target = commandSet(ctx);
  const id = param(ctx, 'commandId');
  if (!target.list.some((c) => c.id === id)) throw Errors.unknownCommand();
  target.set(target.list.filter((c) => c.id !== id));
  return { status: 204 };
}

export function appRoutes(opts: AppRouteOptions): Route<RequestContext>[] {
  const gatewayBot = (): RouteResult => ({
    status: 200,
    body: {
      url: opts.gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    },
  });
  const commandRoutes = (prefix: string): Route<RequestContext>[] => [
    { method: 'GET', pattern: prefix, handler: (ctx) => ({ status: 200, body: commandSet(ctx).list }) },
    { method: 'PUT', pattern: prefix, handler: putCommands },
    { method: 'POST', pattern: prefix, handler: postCommand },
    { method: 'DELETE', pattern: `${prefix}/:commandId`, handler: deleteCommand },
  ];
  return [
    { method: 'GET', pattern: '/gateway/bot', handler: gatewayBot },
    { method: 'GET', pattern: '/gateway', auth: false, handler: () => ({ status: 200, body: { url: opts.gatewayUrl() } }) },
    { method: 'GET', pattern: '/users/@me', handler: (ctx) => ({ status: 200, body: { ...ctx.state.botUser, verified: true, mfa_enabled: false, locale: 'en-US', email: null } }) },
    {
      method: 'GET', pattern: '/users/:userId',
      handler: (ctx) => {
        const user = ctx.state.users.get(param(ctx, 'userId'));
        if (!user) throw Errors.unknownUser();
        return { status: 200, body: user };
      },
    },
    { method: 'GET', pattern: '/applications/@me', handler: (ctx) => ({ status: 200, body: application(ctx) }) },
    { method: 'GET', pattern: '/oauth2/applications/@me', handler: (ctx) => ({ status: 200, body: application(ctx) }) },
    ...commandRoutes('/applications/:applicationId/guilds/:guildId/commands'),
    ...commandRoutes('/applications/:applicationId/commands'),
  ];
}
