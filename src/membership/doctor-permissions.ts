import { OverwriteType, PermissionFlagsBits, type APIOverwrite, type APIRole } from 'discord.js';

/**
 * Discord's permission arithmetic, pure, from what REST returns (guild roles, channel overwrites),
 * so `npm run doctor` needs no gateway cache. Follows "Permission Overwrites" in Discord's docs.
 */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export interface MemberFacts {
  userId: string;
  roleIds: readonly string[];
}

export interface GuildFacts {
  id: string;
  ownerId: string;
  roles: readonly APIRole[];
}

/** Guild-level permissions: @everyone plus every role the member holds; the owner and administrators get all. */
export function basePermissions(guild: GuildFacts, member: MemberFacts): bigint {
  if (member.userId === guild.ownerId) return ALL_PERMISSIONS;
  const byId = new Map(guild.roles.map((r) => [r.id, r]));
  let bits = BigInt(byId.get(guild.id)?.permissions ?? '0');
  for (const id of member.roleIds) bits |= BigInt(byId.get(id)?.permissions ?? '0');
  return (bits & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : bits;
}

/** Permissions in one channel: @everyone's overwrite, then the member's roles' overwrites together, then the member's own. */
export function channelPermissions(guild: GuildFacts, member: MemberFacts, overwrites: readonly APIOverwrite[]): bigint {
  let bits = basePermissions(guild, member);
  if ((bits & PermissionFlagsBits.Administrator) !== 0n || member.userId === guild.ownerId) return ALL_PERMISSIONS;
  const apply = (allow: bigint, deny: bigint) => (bits = (bits & ~deny) | allow);
  const everyone = overwrites.find((o) => o.type === OverwriteType.Role && o.id === guild.id);
  if (everyone) apply(BigInt(everyone.allow), BigInt(everyone.deny));
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guild.id && member.roleIds.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  apply(allow, deny);
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === member.userId);
  if (own) apply(BigInt(own.allow), BigInt(own.deny));
  return bits;
}

export const has = (bits: bigint, flag: bigint): boolean => (bits & flag) === flag;

/** The member's highest role (by position, then by id as Discord breaks ties), or undefined for @everyone only. */
export function highestRole(guild: GuildFacts, member: MemberFacts): APIRole | undefined {
  const held = guild.roles.filter((r) => member.roleIds.includes(r.id));
  return held.reduce<APIRole | undefined>((top, r) => (!top || compareRoles(r, top) > 0 ? r : top), undefined);
}

/** > 0 when `a` sits above `b`. Among equal positions, the older role (lower id) sits higher. */
export function compareRoles(a: Pick<APIRole, 'id' | 'position'>, b: Pick<APIRole, 'id' | 'position'>): number {
  if (a.position !== b.position) return a.position - b.position;
  return BigInt(a.id) === BigInt(b.id) ? 0 : BigInt(a.id) < BigInt(b.id) ? 1 : -1;
}
