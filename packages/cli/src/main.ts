// The `entra-verify` command: subcommands and exit codes.
import { escapeControls } from '@entra-verify/core';
import { runDoctor, type CliIo } from './doctor.js';
import { UsageError } from './doctor-options.js';

/** The top-level usage text. */
export const USAGE = `Usage: entra-verify <command>
  doctor [token] [options]   why is this access token refused? (entra-verify doctor --help)`;

/** The `entra-verify` command: dispatches to a subcommand and returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'doctor') return await runDoctor(rest, io);
    if (command === '--help' || command === '-h') {
      io.stdout(USAGE);
      return 0;
    }
    io.stderr(`entra-verify: ${command ? `unknown command "${command}"` : 'no command given'}\n${USAGE}`);
    return 2;
  } catch (error) {
    if (error instanceof UsageError || error instanceof TypeError) {
      io.stderr(`entra-verify ${command}: ${escapeControls(error.message)}\nRun entra-verify ${command} --help for the options.`);
      return 2;
    }
    // Not expected (diagnose() explains every token); still an answer, never a crash dump.
    io.stderr(`entra-verify ${command}: internal error: ${escapeControls(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}. Please report it.`);
    return 2;
  }
}
