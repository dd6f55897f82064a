// A small, ready-made guild for tests and the demo. Ids are fixed 19-digit snowflakes so transcripts
// and assertions stay stable between runs.
import type { DiscordEmulatorOptions } from './types.ts';

export const SAMPLE = {
  token: 'emulator-bot-token',
  applicationId: '1300000000000000001',
  guildId: '1300000000000000100',
  ownerId: '1300000000000000200',
  roles: { member: '1300000000000000301', moderator: '1300000000000000302', admin: '1300000000000000303', pro: '1300000000000000304', founder: '1300000000000000305', tsExperts: '1300000000000000306', rustExperts: '1300000000000000307', champion: '1300000000000000308', contributor: '1300000000000000309', veteran: '1300000000000000310' },
  channels: {
    category: '1300000000000000400',
    general: '1300000000000000401',
    mods: '1300000000000000402',
    owners: '1300000000000000403',
    forum: '1300000000000000404',
    challenges: '1300000000000000405',
    content: '1300000000000000406',
    proLounge: '1300000000000000407',
    voice: '1300000000000000408',
  },
  users: {
    ada: '1300000000000000501',
    brian: '1300000000000000502',
    grace: '1300000000000000503',
    tess: '1300000000000000505',
    // Two moderators, for judging with two judges and for two clicks on one review button.
    mo: '1300000000000000506',
    jules: '1300000000000000507',
  },
} as const;

/** Options for a guild with an owner, two members, three roles, text channels and a forum. */
export function sampleGuildOptions(overrides: Partial<DiscordEmulatorOptions> = {}): DiscordEmulatorOptions {
  return {
    token: SAMPLE.token,
    applicationId: SAMPLE.applicationId,
    botUser: { id: SAMPLE.applicationId, username: 'Guildhall', bot: true },
    guild: { id: SAMPLE.guildId, name: 'Guildhall Sandbox', ownerId: SAMPLE.ownerId },
    roles: [
      { id: SAMPLE.roles.member, name: 'Member', permissions: '0', position: 1 },
      { id: SAMPLE.roles.moderator, name: 'Moderator', permissions: String(1n << 13n), position: 2 },
      { id: SAMPLE.roles.admin, name: 'Admin', permissions: String(1n << 3n), position: 10 },
      // Paid tiers (see src/sandbox/tiers.ts): below the bot's role, so it may hand them out.
      { id: SAMPLE.roles.pro, name: 'Pro', permissions: '0', position: 3 },
      { id: SAMPLE.roles.founder, name: 'Founder', permissions: '0', position: 4 },
      // Q&A experts (see src/sandbox/qa.ts): pinged once per question in their topic.
      { id: SAMPLE.roles.tsExperts, name: 'TS experts', permissions: '0', position: 1 },
      { id: SAMPLE.roles.rustExperts, name: 'Rust experts', permissions: '0', position: 1 },
      // The monthly challenge champion and two reputation level rewards (src/sandbox/community.ts).
      { id: SAMPLE.roles.champion, name: 'Champion', permissions: '0', position: 1 },
      { id: SAMPLE.roles.contributor, name: 'Contributor', permissions: '0', position: 1 },
      { id: SAMPLE.roles.veteran, name: 'Veteran', permissions: '0', position: 1 },
    ],
    // The bot's role sits between Moderator and Admin: it may manage Member and Moderator only.
    botRole: { position: 5 },
    channels: [
      { id: SAMPLE.channels.category, name: 'Community', type: 4 },
      { id: SAMPLE.channels.general, name: 'general', type: 0, parentId: SAMPLE.channels.category },
      { id: SAMPLE.channels.mods, name: 'mods', type: 0, parentId: SAMPLE.channels.category },
      { id: SAMPLE.channels.owners, name: 'owners', type: 0, parentId: SAMPLE.channels.category },
      { id: SAMPLE.channels.forum, name: 'questions', type: 15, parentId: SAMPLE.channels.category },
      { id: SAMPLE.channels.challenges, name: 'challenges', type: 0, parentId: SAMPLE.channels.category },
      { id: SAMPLE.channels.content, name: 'articles', type: 0, parentId: SAMPLE.channels.category },
      { id: SAMPLE.channels.proLounge, name: 'pro-lounge', type: 0, parentId: SAMPLE.channels.category },
      // Voice: activity capture counts minutes from join to leave (joinVoice / leaveVoice).
      { id: SAMPLE.channels.voice, name: 'lounge', type: 2, parentId: SAMPLE.channels.category },
    ],
    members: [
      { user: { id: SAMPLE.ownerId, username: 'olivia', globalName: 'Olivia (owner)' }, joinedAt: '2024-01-01T00:00:00.000Z' },
      { user: { id: SAMPLE.users.ada, username: 'ada', globalName: 'Ada' }, roles: [SAMPLE.roles.member], joinedAt: '2024-02-01T00:00:00.000Z' },
      { user: { id: SAMPLE.users.brian, username: 'brian' }, joinedAt: '2024-03-01T00:00:00.000Z' },
      // A TypeScript expert, for the Q&A scenario.
      { user: { id: SAMPLE.users.tess, username: 'tess', globalName: 'Tess' }, roles: [SAMPLE.roles.tsExperts], joinedAt: '2024-01-15T00:00:00.000Z' },
      { user: { id: SAMPLE.users.mo, username: 'mo', globalName: 'Mo (moderator)' }, roles: [SAMPLE.roles.moderator], joinedAt: '2024-01-10T00:00:00.000Z' },
      { user: { id: SAMPLE.users.jules, username: 'jules', globalName: 'Jules (moderator)' }, roles: [SAMPLE.roles.moderator], joinedAt: '2024-01-12T00:00:00.000Z' },
    ],
    ...overrides,
  };
}
