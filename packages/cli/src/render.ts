// Human-readable output. Colour only when writing to a terminal (and NO_COLOR is unset).
import { escapeControls, type Diagnosis } from '@entra-verify/core';
import type { SummaryRow } from './describe-claims.js';

export interface Paint {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
export const colours: Paint = { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
const identity = (text: string) => text;
export const plain: Paint = { red: identity, green: identity, yellow: identity, dim: identity, bold: identity };

export function renderSummary(rows: SummaryRow[], paint: Paint): string[] {
  const width = Math.max(...rows.map((row) => row.label.length));
  // Every value comes from the untrusted token: escaped before any colour of ours is added, so a
  // token cannot move the cursor, clear the screen or print a fake verdict.
  return [
    paint.bold('Access token (decoded, not trusted)'),
    ...rows.map((row) => {
      const value = escapeControls(row.value);
      return `  ${row.label.padEnd(width)}  ${row.warn ? paint.yellow(value) : value}`;
    }),
  ];
}

export function renderDiagnosis(diagnosis: Diagnosis, target: string, keySource: string, paint: Paint): string[] {
  const lines = ['', paint.bold(`Verification against ${target}`), `  ${paint.dim(`keys: ${escapeControls(keySource)}`)}`];
  for (const check of diagnosis.checks) {
    if (check.outcome === 'passed') lines.push(`  ${paint.green('✓')} ${check.rule}`);
    else if (check.outcome === 'skipped') lines.push(`  ${paint.dim(`- ${check.rule} (skipped: depends on a failed rule)`)}`);
    else {
      // EntraAuthError escapes its own description and hint; escaping again is a no-op, and keeps
      // this line safe even for an error that did not come from core.
      lines.push(`  ${paint.red('✗')} ${check.rule}: ${check.error!.code}: ${escapeControls(check.error!.description)}`);
      lines.push(`      ${escapeControls(check.error!.hint)}`);
    }
  }
  const failed = diagnosis.checks.filter((check) => check.outcome === 'failed').map((check) => check.error!.code);
  lines.push('', diagnosis.accepted ? paint.green('Accepted: an API with these settings would accept this token.') : paint.red(`Refused: ${failed.join(', ')}`));
  return lines;
}
