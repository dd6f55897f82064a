import { loadConfigOrExit } from '../config.ts';
import { openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

// `npm run migrate` applies every pending migration; `npm run migrate -- --down` reverts one step.
const config = loadConfigOrExit();
const db = openDatabase(config.databasePath);
const direction = process.argv.includes('--down') ? 'down' : 'latest';
try {
  const applied = await migrate(db, direction);
  console.log(applied.length ? applied.join('\n') : 'Nothing to do: the database is up to date.');
  console.log(`Database: ${config.databasePath}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
