import { REST } from 'discord.js';
import { loadConfigOrExit } from '../config.ts';
import { renderChecks } from './doctor.ts';
import { runDoctor } from './doctor-run.ts';
import { createStripeClient } from './stripe-client.ts';
import { loadTiers, TiersError } from './tiers.ts';

// `npm run doctor`: the /doctor checks from a terminal, over REST only (no gateway session, so it
// runs beside the bot). Exits 1 when any check fails, so a deploy script can stop on it.
const config = loadConfigOrExit();
try {
  const tiers = await loadTiers(config.tiersFile);
  const rest = new REST({ api: config.discordApiUrl }).setToken(config.discordToken);
  const checks = await runDoctor({ rest, stripe: createStripeClient(config), tiers, config });
  console.log(renderChecks(checks));
  process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
} catch (error) {
  if (error instanceof TiersError) {
    console.log(renderChecks([{ ok: false, label: `The tiers file ${config.tiersFile} is valid`, fix: error.problems.join('\n     ') }]));
  } else {
    console.error(`The doctor could not finish: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
}
