// Human-readable output. Colour only when writing to a terminal (and NO_COLOR is unset).
import type { Diagnosis } from '@entra-verify/core';
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
  return [paint.bold('Access token (decoded, not trusted)'), ...rows.map((row) => `  ${row.label.padEnd(width)}  ${row.warn ? paint.yellow(row.value) : row.value}`)];
}

export function renderDiagnosis(diagnosis: Diagnosis, target: string, paint: Paint): string[] {
  const lines = ['', paint.bold(`Verification against ${target}`)];
  for (const check of diagnosis.checks) {
    if (check.outcome === 'passed') lines.push(`  ${paint.green('✓')} ${check.rule}`);
    else if (check.outcome === 'skipped') lines.push(`  ${paint.dim(`- ${check.rule} (skipped: depends on a failed rule)`)}`);
    else {
      lines.push(`  ${paint.red('✗')} ${check.rule}: ${check.error!.code}: ${check.error!.description}`);
      lines.push(`      ${check.error!.hint}`);
    }
  }
  const failed = diagnosis.checks.filter((check) => check.outcome === 'failed').map((check) => check.error!.code);
  lines.push('', diagnosis.accepted ? paint.green('Accepted: an API with these settings would accept this token.') : paint.red(`Refused: ${failed.join(', ')}`));
  return lines;
}
