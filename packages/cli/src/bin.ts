#!/usr/bin/env node
import { main } from './main.js';

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  readStdin,
  colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  now: Date.now,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`entra-verify: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
