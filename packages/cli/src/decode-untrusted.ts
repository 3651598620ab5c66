// Read a token's header and claims without trusting anything in it: for display only.

export interface UntrustedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Accepts a raw JWT or a pasted `Bearer <jwt>` / `Authorization: Bearer <jwt>` line. */
export function cleanTokenInput(input: string): string {
  return input.trim().replace(/^authorization:\s*/i, '').replace(/^bearer\s+/i, '').trim();
}

function segment(value: string | undefined): Record<string, unknown> | undefined {
  if (!value || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function decodeUntrusted(token: string): UntrustedToken | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = segment(parts[0]);
  const claims = segment(parts[1]);
  return header && claims ? { header, claims } : undefined;
}
