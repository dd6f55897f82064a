import { createInterface } from 'node:readline/promises';
import type { Sandbox } from './harness.ts';
import { describeReply } from './transcript.ts';

const HELP = `Type what a member does, e.g.
  ada /help                 run a slash command as a member (ada, brian, olivia, or anyone who joined)
  ada /join tier=Pro        options as name=value
  join dave                 a new member joins the server
  members                   who is in the server
  quit                      stop everything`;

/** `npm run demo -- --keep`: a prompt that lets a person act as members against the running bot. */
export async function explore(sandbox: Sandbox): Promise<void> {
  const { discord } = sandbox;
  const byName = (n: string) => [...discord.state.users.values()].find((u) => u.username === n);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'sandbox> ' });
  console.log(HELP);
  rl.prompt();
  for await (const line of rl) {
    const [first = '', second = '', ...rest] = line.trim().split(/\s+/);
    try {
      if (first === 'quit' || first === 'exit') break;
      if (first === 'members') console.log([...discord.state.members.keys()].map((id) => discord.state.users.get(id)?.username ?? id).join(', '));
      else if (first === 'join' && second) {
        const id = String(BigInt('1300000000000009000') + BigInt(discord.state.members.size));
        await discord.addMember({ id, username: second });
        console.log(`${second} joined (id ${id})`);
      } else if (second.startsWith('/') && byName(first)) {
        const options = Object.fromEntries(rest.map((kv) => kv.split('=') as [string, string]));
        const handle = discord.runCommand({ userId: byName(first)!.id, name: second.slice(1), options });
        console.log(describeReply(await handle.visibleReply(10_000), first).join('\n'));
      } else if (first) console.log(HELP);
    } catch (error) {
      console.log(`! ${error instanceof Error ? error.message : String(error)}`);
    }
    rl.prompt();
  }
  rl.close();
}
