// The guild: its object, roles, channels and members, and role changes on members.
import { assertGuild, objectBody, param, type RequestContext } from './context.ts';
import { Errors, type Route, type RouteResult } from './http-util.ts';
import { rawGuild, rawMember, rawRole, THREAD_TYPES, type MemberRecord } from './payloads.ts';
import { hasPermission, Permission } from './permissions.ts';
import { compareSnowflakes } from './snowflake.ts';

function memberOf(ctx: RequestContext): MemberRecord {
  assertGuild(ctx);
  const member = ctx.state.member(param(ctx, 'userId'));
  if (!member) throw Errors.unknownMember();
  return member;
}

/** Discord's role hierarchy: the bot needs Manage Roles and may only touch roles below its highest one. */
function assertCanManage(ctx: RequestContext, roleId: string): void {
  const role = ctx.state.roles.get(roleId);
  if (!role) throw Errors.unknownRole();
  const bot = ctx.state.botUser.id;
  if (!hasPermission(ctx.state.permissionsOf(bot), Permission.ManageRoles)) throw Errors.missingPermissions();
  if (ctx.state.guild.ownerId !== bot && role.position >= ctx.state.highestRolePosition(bot)) throw Errors.missingPermissions();
  if (role.managed) throw Errors.missingPermissions();
}

async function setRoles(ctx: RequestContext, member: MemberRecord, roles: string[]): Promise<void> {
  const before = new Set(member.roles);
  const after = new Set(roles.filter((r) => r !== ctx.state.guild.id));
  for (const id of new Set([...before, ...after])) {
    if (before.has(id) !== after.has(id)) assertCanManage(ctx, id);
  }
  const changed = before.size !== after.size || [...after].some((r) => !before.has(r));
  member.roles = [...after];
  if (changed) await ctx.gateway.dispatch('GUILD_MEMBER_UPDATE', { guild_id: ctx.state.guild.id, ...rawMember(member) });
}

async function addRole(ctx: RequestContext): Promise<RouteResult> {
  const member = memberOf(ctx);
  const roleId = param(ctx, 'roleId');
  if (!ctx.state.roles.has(roleId)) throw Errors.unknownRole();
  if (!member.roles.includes(roleId)) await setRoles(ctx, member, [...member.roles, roleId]);
  else assertCanManage(ctx, roleId);
  return { status: 204 };
}

async function removeRole(ctx: RequestContext): Promise<RouteResult> {
  const member = memberOf(ctx);
  const roleId = param(ctx, 'roleId');
  if (!ctx.state.roles.has(roleId)) throw Errors.unknownRole();
  if (member.roles.includes(roleId)) await setRoles(ctx, member, member.roles.filter((r) => r !== roleId));
  else assertCanManage(ctx, roleId);
  return { status: 204 };
}

async function editMember(ctx: RequestContext): Promise<RouteResult> {
  const member = memberOf(ctx);
  const body = objectBody(ctx);
  if (Array.isArray(body.roles)) {
    const roles = body.roles.map(String);
    const unknown = roles.find((r) => !ctx.state.roles.has(r));
    if (unknown) throw Errors.unknownRole();
    await setRoles(ctx, member, roles);
  }
  if ('nick' in body) {
    member.nick = typeof body.nick === 'string' && body.nick ? body.nick : null;
    await ctx.gateway.dispatch('GUILD_MEMBER_UPDATE', { guild_id: ctx.state.guild.id, ...rawMember(member) });
  }
  return { status: 200, body: rawMember(member) };
}

function listMembers(ctx: RequestContext): RouteResult {
  assertGuild(ctx);
  const limit = Math.min(1000, Math.max(1, Number(ctx.query.limit ?? 1) || 1));
  const after = ctx.query.after ?? '0';
  // Discord pages members by ascending user id.
  const members = [...ctx.state.members.values()]
    .filter((m) => compareSnowflakes(m.user.id, after) > 0)
    .sort((a, b) => compareSnowflakes(a.user.id, b.user.id))
    .slice(0, limit);
  return { status: 200, body: members.map((m) => rawMember(m)) };
}

function searchMembers(ctx: RequestContext): RouteResult {
  assertGuild(ctx);
  const query = (ctx.query.query ?? '').toLowerCase();
  if (!query) throw Errors.form('query', 'This field is required', 'BASE_TYPE_REQUIRED');
  const limit = Math.min(1000, Math.max(1, Number(ctx.query.limit ?? 1) || 1));
  const names = (m: MemberRecord) => [m.user.username, m.user.global_name ?? '', m.nick ?? ''];
  const found = [...ctx.state.members.values()].filter((m) => names(m).some((n) => n.toLowerCase().startsWith(query)));
  return { status: 200, body: found.slice(0, limit).map((m) => rawMember(m)) };
}

function getGuild(ctx: RequestContext): RouteResult {
  assertGuild(ctx);
  const body = rawGuild({ ...ctx.state.guild, applicationId: ctx.state.applicationId, roles: [...ctx.state.roles.values()] });
  if (ctx.query.with_counts === 'true') Object.assign(body, { approximate_member_count: ctx.state.members.size, approximate_presence_count: 0 });
  return { status: 200, body };
}

async function createRole(ctx: RequestContext): Promise<RouteResult> {
  assertGuild(ctx);
  if (!hasPermission(ctx.state.permissionsOf(ctx.state.botUser.id), Permission.ManageRoles)) throw Errors.missingPermissions();
  const body = objectBody(ctx);
  // New roles land just above @everyone, pushing the others up, as on Discord.
  for (const r of ctx.state.roles.values()) if (r.position >= 1) r.position += 1;
  const role = rawRole({
    id: ctx.state.ids.next(),
    name: typeof body.name === 'string' ? body.name : 'new role',
    permissions: body.permissions === undefined ? ctx.state.roles.get(ctx.state.guild.id)?.permissions ?? '0' : String(body.permissions),
    position: 1,
  }, { color: typeof body.color === 'number' ? body.color : 0, hoist: body.hoist === true, mentionable: body.mentionable === true });
  ctx.state.roles.set(role.id, role);
  await ctx.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: ctx.state.guild.id, role });
  return { status: 200, body: role };
}

export const guildRoutes: Route<RequestContext>[] = [
  { method: 'GET', pattern: '/guilds/:guildId', handler: getGuild },
  { method: 'GET', pattern: '/guilds/:guildId/roles', handler: (ctx) => (assertGuild(ctx), { status: 200, body: [...ctx.state.roles.values()] }) },
  { method: 'POST', pattern: '/guilds/:guildId/roles', handler: createRole },
  {
    method: 'GET', pattern: '/guilds/:guildId/channels',
    handler: (ctx) => (assertGuild(ctx), { status: 200, body: ctx.state.guildChannels().filter((c) => !THREAD_TYPES.has(c.type)) }),
  },
  { method: 'GET', pattern: '/guilds/:guildId/members', handler: listMembers },
  { method: 'GET', pattern: '/guilds/:guildId/members/search', handler: searchMembers },
  { method: 'GET', pattern: '/guilds/:guildId/members/:userId', handler: (ctx) => ({ status: 200, body: rawMember(memberOf(ctx)) }) },
  { method: 'PATCH', pattern: '/guilds/:guildId/members/:userId', handler: editMember },
  { method: 'PUT', pattern: '/guilds/:guildId/members/:userId/roles/:roleId', handler: addRole },
  { method: 'DELETE', pattern: '/guilds/:guildId/members/:userId/roles/:roleId', handler: removeRole },
];
