#!/usr/bin/env node
import { main } from './main.js';

main(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  onSignal: (signal, handler) => process.on(signal, handler),
}).then(
  (result) => {
    if (typeof result === 'number') process.exitCode = result;
  },
  (error: unknown) => {
    process.stderr.write(`entra-verify-forward-auth: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
