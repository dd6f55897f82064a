import { explore } from './explore.ts';
import { startSandbox } from './harness.ts';
import { formatStep, playScenario } from './scenario.ts';

// `npm run demo`: the unchanged bot against local Discord and Stripe emulators, no accounts needed.
// `npm run demo -- --keep` leaves everything running and opens a prompt to act as members.
const keep = process.argv.includes('--keep');

console.log('Starting the Discord and Stripe emulators and the bot (npm start, pointed at them)…');
const sandbox = await startSandbox();
let exitCode = 0;
try {
  console.log(`Discord emulator: ${sandbox.discord.apiUrl}   Stripe emulator: ${sandbox.stripe.apiUrl}   bot: ${sandbox.httpUrl}\n`);
  await playScenario(sandbox, (step) => console.log(`${formatStep(step)}\n`));
  if (keep) {
    console.log(`Still running. Point your own scripts at the emulators above, or act as a member here.`);
    await explore(sandbox);
  }
} catch (error) {
  console.error(`The demo failed: ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  const botExit = await sandbox.stop();
  console.log(`The bot shut down with exit code ${botExit}.`);
  if (botExit !== 0) exitCode = 1;
}
process.exit(exitCode);
