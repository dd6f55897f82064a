// Tables for ratings, post readers, reputation levels (issue 6); merged into Database in schema.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RatingTables {}
