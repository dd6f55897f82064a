// Guild-level permission arithmetic (channel overwrites are not emulated).
export const Permission = {
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** Every bit Discord defines today (up to bit 50); what an administrator or the owner gets. */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** What @everyone gets when not configured: roughly a new server's defaults (no moderation bits). */
export const DEFAULT_EVERYONE_PERMISSIONS = (
  (1n << 0n) | // CreateInstantInvite
  (1n << 6n) | // AddReactions
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  (1n << 18n) | // UseExternalEmojis
  (1n << 20n) | // Connect
  (1n << 21n) | // Speak
  (1n << 26n) | // ChangeNickname
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.SendMessagesInThreads
).toString();

/** The bot's managed role when none is configured: enough for everything the bot does. */
export const DEFAULT_BOT_PERMISSIONS = (
  Permission.ManageRoles |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.ManageMessages |
  Permission.ManageThreads |
  Permission.CreatePublicThreads |
  Permission.SendMessagesInThreads |
  Permission.UseApplicationCommands
).toString();

export interface RoleLike {
  id: string;
  permissions: string;
  position: number;
}

export function computePermissions(opts: {
  guildId: string;
  ownerId: string;
  userId: string;
  roleIds: readonly string[];
  roles: ReadonlyMap<string, RoleLike>;
}): bigint {
  if (opts.userId === opts.ownerId) return ALL_PERMISSIONS;
  let bits = BigInt(opts.roles.get(opts.guildId)?.permissions ?? '0');
  for (const id of opts.roleIds) bits |= BigInt(opts.roles.get(id)?.permissions ?? '0');
  return (bits & Permission.Administrator) !== 0n ? ALL_PERMISSIONS : bits;
}

export function hasPermission(bits: bigint, flag: bigint): boolean {
  return (bits & Permission.Administrator) !== 0n || (bits & flag) === flag;
}

/** Highest position among the given roles (@everyone counts as 0). */
export function highestPosition(roleIds: readonly string[], roles: ReadonlyMap<string, RoleLike>): number {
  let top = 0;
  for (const id of roleIds) top = Math.max(top, roles.get(id)?.position ?? 0);
  return top;
}
