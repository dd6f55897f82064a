// Tables for leaderboard messages, monthly champions, points rollups (issue 5); merged into Database in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LeaderboardTables {}
