import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
//
// Ratings, readers and reputation levels (issue 6). The rollups (post_stats, content_totals,
// member_points, member_points_daily) are kept exact by triggers, so every writer (the rating
// button, the posts feature publishing or unpublishing, a member's data being deleted, Q&A and
// challenges crediting points) keeps them right without knowing they exist. /top and /rank read
// only the rollups: that is what keeps them fast at 100k posts, 1M ratings and 1M ledger rows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ratings')
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('stars', 'integer', (c) => c.notNull().check(sql`stars between 1 and 5`))
    // Bumped on every change, so a changed rating credits the author under a fresh points ref.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    // The ref of the author's live credit for this rating; null when none (new account, cap, 0 points).
    .addColumn('points_ref', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ratings_pk', ['post_id', 'member_id'])
    .execute();
  await db.schema.createIndex('ratings_member').on('ratings').columns(['member_id', 'updated_at']).execute();

  // Distinct members who did something with a post (rated it, reacted to its message); never its author, never bots.
  await db.schema
    .createTable('post_readers')
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull()) // rating | reaction: how they first interacted
    .addColumn('at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('post_readers_pk', ['post_id', 'member_id'])
    .execute();

  // One row per post: a copy of what ranking needs from posts, plus rating and reader sums.
  await db.schema
    .createTable('post_stats')
    .addColumn('post_id', 'integer', (c) => c.primaryKey().references('posts.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience_tier', 'text')
    .addColumn('published', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'integer')
    .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_sum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('readers', 'integer', (c) => c.notNull().defaultTo(0))
    // log2(quality at C_ref) + log2(log2(2 + readers)) + published_at / half-life: the
    // time-independent part of a post's value, so /top walks posts in an index by (nearly) what
    // they are worth and stops early. Null until published_at is known. See rankKey below.
    .addColumn('rank_key', 'real')
    .execute();
  await db.schema.createIndex('post_stats_rank').on('post_stats').columns(['published', 'rank_key', 'published_at']).execute();
  await db.schema.createIndex('post_stats_kind_rank').on('post_stats').columns(['published', 'kind', 'rank_key', 'published_at']).execute();

  // The prior C of the Bayesian average: all ratings on published posts. A single row (id 1).
  await db.schema
    .createTable('content_totals')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('rating_count', 'integer', (c) => c.notNull())
    .addColumn('rating_sum', 'integer', (c) => c.notNull())
    // What rank_key is computed with: the half-life (ms), m, and a reference C. /top re-keys every
    // post when the settings change or C has drifted from the reference (src/reputation/top-content.ts).
    .addColumn('half_life_ms', 'real', (c) => c.notNull())
    .addColumn('prior_m', 'real', (c) => c.notNull())
    .addColumn('prior_ref', 'real', (c) => c.notNull())
    .execute();

  // The ledger summed per member and source, and per member and UTC day (for the 30-day trend).
  await sql`create table member_points (member_id text not null, source text not null, total integer not null, primary key (member_id, source)) without rowid`.execute(db);
  await sql`create table member_points_daily (member_id text not null, day integer not null, amount integer not null, primary key (member_id, day)) without rowid`.execute(db);

  // The level whose reward roles a member was last given (what the levels job compares against).
  await db.schema
    .createTable('reputation_levels')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('role_ids', 'text', (c) => c.notNull()) // JSON array: reward roles queued for this member
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  // How far the levels job has read the ledger (points.id), and the level settings it applied.
  await db.schema
    .createTable('reputation_watermarks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_id', 'integer', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  for (const statement of TRIGGERS) await sql.raw(statement).execute(db);

  // Backfill from what exists already (posts and points may predate this migration). The defaults:
  // half-life 30 days, m 5, C 3 (the middle of the scale); /top re-keys if the settings differ.
  await sql`insert into content_totals (id, rating_count, rating_sum, half_life_ms, prior_m, prior_ref) values (1, 0, 0, ${sql.lit(30 * 86_400_000)}, 5, 3)`.execute(db);
  await sql.raw(`insert into post_stats (post_id, author_id, kind, audience_tier, published, published_at, rank_key)
            select id, author_id, kind, audience_tier, state = 'published', published_at, ${rankKey('0', '0', '0', 'published_at')} from posts`).execute(db);
  await sql`insert into member_points (member_id, source, total) select member_id, source, sum(amount) from points group by member_id, source`.execute(db);
  await sql`insert into member_points_daily (member_id, day, amount) select member_id, at / 86400000, sum(amount) from points group by member_id, at / 86400000`.execute(db);
}

// rank_key of a row with these figures (SQL expressions): log2 of the Bayesian average at the
// reference C, plus log2 of reach, plus publish time in half-lives (src/reputation/content-value.ts).
const setting = (column: string) => `(select ${column} from content_totals where id = 1)`;
const rankKey = (count: string, sum: string, readers: string, at: string) =>
  `log2((${sum} + ${setting('prior_m * prior_ref')}) / (${count} + ${setting('prior_m')})) + log2(log2(2 + ${readers})) + ${at} * 1.0 / ${setting('half_life_ms')}`;
const stars = (alias: 'new' | 'old', published: string) => `case when ${published} then ${alias}.rating_count else 0 end`;
const sum = (alias: 'new' | 'old', published: string) => `case when ${published} then ${alias}.rating_sum else 0 end`;

const TRIGGERS = [
  // posts -> post_stats (the posts feature owns posts; this mirrors the columns ranking needs).
  `create trigger post_stats_post_insert after insert on posts begin
     insert into post_stats (post_id, author_id, kind, audience_tier, published, published_at, rank_key)
     values (new.id, new.author_id, new.kind, new.audience_tier, new.state = 'published', new.published_at, ${rankKey('0', '0', '0', 'new.published_at')});
   end`,
  `create trigger post_stats_post_update after update of author_id, kind, audience_tier, state, published_at on posts begin
     update post_stats set author_id = new.author_id, kind = new.kind, audience_tier = new.audience_tier,
       published = new.state = 'published', published_at = new.published_at, rank_key = ${rankKey('rating_count', 'rating_sum', 'readers', 'new.published_at')}
     where post_id = new.id;
   end`,
  // ratings -> post_stats
  `create trigger post_stats_rating_insert after insert on ratings begin
     update post_stats set rating_count = rating_count + 1, rating_sum = rating_sum + new.stars,
       rank_key = ${rankKey('rating_count + 1', 'rating_sum + new.stars', 'readers', 'published_at')} where post_id = new.post_id;
   end`,
  `create trigger post_stats_rating_update after update of stars on ratings begin
     update post_stats set rating_sum = rating_sum - old.stars + new.stars,
       rank_key = ${rankKey('rating_count', 'rating_sum - old.stars + new.stars', 'readers', 'published_at')} where post_id = new.post_id;
   end`,
  `create trigger post_stats_rating_delete after delete on ratings begin
     update post_stats set rating_count = rating_count - 1, rating_sum = rating_sum - old.stars,
       rank_key = ${rankKey('rating_count - 1', 'rating_sum - old.stars', 'readers', 'published_at')} where post_id = old.post_id;
   end`,
  // post_readers -> post_stats
  `create trigger post_stats_reader_insert after insert on post_readers begin
     update post_stats set readers = readers + 1, rank_key = ${rankKey('rating_count', 'rating_sum', 'readers + 1', 'published_at')} where post_id = new.post_id;
   end`,
  `create trigger post_stats_reader_delete after delete on post_readers begin
     update post_stats set readers = readers - 1, rank_key = ${rankKey('rating_count', 'rating_sum', 'readers - 1', 'published_at')} where post_id = old.post_id;
   end`,
  // post_stats -> content_totals: only published posts count toward C.
  `create trigger content_totals_insert after insert on post_stats when new.published begin
     update content_totals set rating_count = rating_count + new.rating_count, rating_sum = rating_sum + new.rating_sum where id = 1;
   end`,
  `create trigger content_totals_update after update of published, rating_count, rating_sum on post_stats begin
     update content_totals set
       rating_count = rating_count - (${stars('old', 'old.published')}) + (${stars('new', 'new.published')}),
       rating_sum = rating_sum - (${sum('old', 'old.published')}) + (${sum('new', 'new.published')})
     where id = 1;
   end`,
  `create trigger content_totals_delete after delete on post_stats when old.published begin
     update content_totals set rating_count = rating_count - old.rating_count, rating_sum = rating_sum - old.rating_sum where id = 1;
   end`,
  // points (the one ledger) -> member_points, member_points_daily. The ledger only grows, but a
  // member's data may be deleted, so deletes and updates are mirrored too.
  `create trigger member_points_insert after insert on points begin
     insert into member_points (member_id, source, total) values (new.member_id, new.source, new.amount)
       on conflict (member_id, source) do update set total = total + excluded.total;
     insert into member_points_daily (member_id, day, amount) values (new.member_id, new.at / 86400000, new.amount)
       on conflict (member_id, day) do update set amount = amount + excluded.amount;
   end`,
  `create trigger member_points_delete after delete on points begin
     update member_points set total = total - old.amount where member_id = old.member_id and source = old.source;
     update member_points_daily set amount = amount - old.amount where member_id = old.member_id and day = old.at / 86400000;
   end`,
  `create trigger member_points_update after update of member_id, source, amount, at on points begin
     update member_points set total = total - old.amount where member_id = old.member_id and source = old.source;
     update member_points_daily set amount = amount - old.amount where member_id = old.member_id and day = old.at / 86400000;
     insert into member_points (member_id, source, total) values (new.member_id, new.source, new.amount)
       on conflict (member_id, source) do update set total = total + excluded.total;
     insert into member_points_daily (member_id, day, amount) values (new.member_id, new.at / 86400000, new.amount)
       on conflict (member_id, day) do update set amount = amount + excluded.amount;
   end`,
];

const TRIGGER_NAMES = TRIGGERS.map((t) => /create trigger (\w+)/.exec(t)![1]!);

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of TRIGGER_NAMES) await sql.raw(`drop trigger if exists ${name}`).execute(db);
  for (const table of ['reputation_watermarks', 'reputation_levels', 'member_points_daily', 'member_points', 'content_totals', 'post_stats', 'post_readers', 'ratings']) {
    await db.schema.dropTable(table).execute();
  }
}
