import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
//
// Per member and UTC day, the first and last interaction (every kind but join, leave and
// subscription_change). Keyed by member first: the digest probes each paying member's latest day
// before an instant, and /me reads one member's year, both as index seeks. It replaces the
// (user_id, hour) index on activity_hourly: a capture flush writes one row per member and day,
// where that index took one entry per member, hour and kind and was the capture's largest cost
// after the raw insert (bench/capture.ts).
const INTERACTIONS = ['message', 'reaction', 'voice', 'command', 'question_asked', 'answer', 'solution', 'challenge_entry', 'post_submitted', 'post_decided', 'rating'];
const DAY_MS = 86_400_000;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table activity_member_days (
      day integer not null,
      user_id text not null,
      first_at integer not null,
      last_at integer not null,
      primary key (user_id, day)
    ) without rowid`.execute(db);
  // From the hourly rollups, which are kept for good (raw events are pruned). An hour row with
  // first_at null holds only the continuation of a voice session that began earlier: no event.
  await sql`
    insert into activity_member_days (day, user_id, first_at, last_at)
    select (hour / ${DAY_MS}) * ${DAY_MS}, user_id, min(first_at), max(last_at) from activity_hourly
    where first_at is not null and kind in (${sql.join(INTERACTIONS.map((k) => sql.lit(k)))})
    group by user_id, 1`.execute(db);
  await db.schema.dropIndex('activity_hourly_user').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('activity_hourly_user').on('activity_hourly').columns(['user_id', 'hour']).execute();
  await db.schema.dropTable('activity_member_days').execute();
}
