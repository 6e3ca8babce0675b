import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { UsageError } from './command.ts';

function printOverview(commands: Record<string, () => Promise<Command>>): Promise<void> {
  return (async () => {
    const lines = ['Usage: passk <command> [options]', '', 'Commands:'];
    for (const [name, load] of Object.entries(commands)) {
      lines.push(`  ${name.padEnd(10)} ${(await load()).summary}`);
    }
    lines.push('', 'Run `passk <command> --help` for the options of one command.');
    process.stdout.write(lines.join('\n') + '\n');
  })();
}

/** Runs one command of `commands` (all of them for `passk`; the worker package has fewer). */
export async function main(argv: string[], commands: Record<string, () => Promise<Command>>): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await printOverview(commands);
    return name === undefined ? 1 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`passk: unknown command "${name}". Run \`passk --help\` for the list.\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    return await command.run(values, positionals);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`passk ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
