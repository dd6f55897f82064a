// Tables for member posts, versions, review decisions (issue 6); merged into Database in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PostTables {}
