import { sql, type Kysely } from 'kysely';

// Frozen in time: never import app code here. Times are UTC epoch milliseconds.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('challenges')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'integer', (c) => c.notNull())
    .addColumn('deadline_at', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('best_bonus', 'integer', (c) => c.notNull())
    .addColumn('open_to', 'text', (c) => c.notNull()) // everyone | members | tiers
    .addColumn('tiers', 'text') // JSON array of tier names when open_to = 'tiers'
    .addColumn('judges_required', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // scheduled | open | judging | judged | cancelled
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('announced_at', 'integer')
    .addColumn('closed_at', 'integer')
    .addColumn('judged_at', 'integer')
    .addColumn('results_round', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled_at', 'integer')
    .addColumn('cancel_reason', 'text')
    .execute();
  // The schedule job looks for scheduled challenges past their start and open ones past their deadline.
  await db.schema.createIndex('challenges_state_start').on('challenges').columns(['state', 'starts_at']).execute();
  await db.schema.createIndex('challenges_state_deadline').on('challenges').columns(['state', 'deadline_at']).execute();

  await db.schema
    .createTable('challenge_audit')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('challenge_id', 'integer', (c) => c.notNull().references('challenges.id').onDelete('cascade'))
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('challenge_audit_challenge').on('challenge_audit').columns(['challenge_id', 'id']).execute();

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('challenge_id', 'integer', (c) => c.notNull().references('challenges.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // entered | in_review | accepted | best | declined | void
    .addColumn('result_reasons', 'text')
    .addColumn('result_at', 'integer')
    .addColumn('result_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notified_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credited_seq', 'integer', (c) => c.notNull().defaultTo(0))
    // One entry per member per challenge; it also serves "this challenge's entries" and "my entry".
    .addUniqueConstraint('submissions_challenge_author', ['challenge_id', 'author_id'])
    .execute();

  await db.schema
    .createTable('submission_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('submission_id', 'integer', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('solution', 'text')
    .addColumn('link', 'text')
    .addColumn('notes', 'text')
    .addColumn('at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('submission_versions_submission_version', ['submission_id', 'version'])
    .execute();

  await db.schema
    .createTable('verdicts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('submission_id', 'integer', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('judge_id', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull()) // accept | best | decline
    .addColumn('reason', 'text') // wrong | incomplete | too_short | plagiarism | other (declines)
    .addColumn('reason_text', 'text')
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('replaced_at', 'integer')
    .execute();
  // At most one current verdict per judge and entry; replaced rows stay as the audit trail.
  await db.schema
    .createIndex('verdicts_current')
    .on('verdicts')
    .columns(['submission_id', 'judge_id'])
    .unique()
    .where(sql.ref('replaced_at'), 'is', null)
    .execute();
  await db.schema.createIndex('verdicts_submission').on('verdicts').columns(['submission_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('verdicts').execute();
  await db.schema.dropTable('submission_versions').execute();
  await db.schema.dropTable('submissions').execute();
  await db.schema.dropTable('challenge_audit').execute();
  await db.schema.dropTable('challenges').execute();
}
