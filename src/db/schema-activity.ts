// Tables for activity events, rollups, subscription history, digests (issue 7); merged into Database in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ActivityTables {}
