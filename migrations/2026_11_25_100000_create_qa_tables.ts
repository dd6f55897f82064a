import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('questions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // Null until the thread exists: the row is written first so a crash never leaves an untracked thread.
    .addColumn('thread_id', 'text', (c) => c.unique())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('asker_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('topics', 'text', (c) => c.notNull()) // JSON array of topic names
    .addColumn('state', 'text', (c) => c.notNull()) // open | answered | solved | stale
    .addColumn('reminder_due_at', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('last_activity_at', 'integer', (c) => c.notNull())
    .addColumn('first_answer_at', 'integer')
    .addColumn('first_answer_by', 'text')
    .addColumn('first_expert_answer_at', 'integer')
    .addColumn('first_expert_answer_by', 'text')
    .addColumn('solution_message_id', 'text')
    .addColumn('solution_author_id', 'text')
    .addColumn('solution_excerpt', 'text')
    .addColumn('solved_at', 'integer')
    .addColumn('solved_by', 'text')
    .addColumn('reminded_at', 'integer')
    .addColumn('nudged_at', 'integer')
    .addColumn('stale_at', 'integer')
    .addColumn('archive_due_at', 'integer')
    .addColumn('archived_at', 'integer')
    .execute();
  // The follow-up jobs scan by state and due time; rate limits and stats by asker and creation time.
  await db.schema.createIndex('questions_state_reminder').on('questions').columns(['state', 'reminder_due_at']).execute();
  await db.schema.createIndex('questions_state_activity').on('questions').columns(['state', 'last_activity_at']).execute();
  await db.schema.createIndex('questions_archive_due').on('questions').column('archive_due_at').execute();
  await db.schema.createIndex('questions_asker_created').on('questions').columns(['asker_id', 'created_at']).execute();
  await db.schema.createIndex('questions_created').on('questions').column('created_at').execute();

  await db.schema
    .createTable('question_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('question_events_question').on('question_events').columns(['question_id', 'at']).execute();

  // Answers are metadata only (who, which message, when): never the message text.
  await db.schema
    .createTable('answers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('is_expert', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('answers_question').on('answers').columns(['question_id', 'at']).execute();

  // Solved questions only (inserted on solve, deleted on reopen); rowid = questions.id.
  await sql`create virtual table qa_search using fts5(title, body, topics, solution_excerpt, tokenize = 'porter unicode61')`.execute(db);

  // The one points ledger shared by Q&A, content and challenges. A re-credit is a no-op;
  // a reversal is a negative row whose ref ends in ':reversed'.
  await db.schema
    .createTable('points')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // qa_solution | post_approved | rating | challenge
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('points_source_ref_member', ['source', 'ref', 'member_id'])
    .execute();
  await db.schema.createIndex('points_member').on('points').columns(['member_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('points').execute();
  await sql`drop table qa_search`.execute(db);
  for (const table of ['answers', 'question_events', 'questions']) await db.schema.dropTable(table).execute();
}
