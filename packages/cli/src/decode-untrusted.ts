// Read a token's header and claims without trusting anything in it: for display only.

export interface UntrustedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** `text` without a leading `prefix` (any case) and the whitespace after it. A loop, not a regex. */
function stripPrefix(text: string, prefix: string): string {
  if (text.slice(0, prefix.length).toLowerCase() !== prefix) return text;
  return text.slice(prefix.length).trimStart();
}

/** Accepts a raw JWT or a pasted `Bearer <jwt>` / `Authorization: Bearer <jwt>` line. */
export function cleanTokenInput(input: string): string {
  const withoutHeader = stripPrefix(input.trim(), 'authorization:');
  const bearer = withoutHeader.slice(0, 7).toLowerCase();
  return (bearer === 'bearer ' || bearer === 'bearer\t' ? withoutHeader.slice(7) : withoutHeader).trim();
}

const BASE64URL_CHAR = /^[A-Za-z0-9_-]$/;
const isBase64Url = (value: string) => {
  for (let i = 0; i < value.length; i++) if (!BASE64URL_CHAR.test(value[i]!)) return false;
  return value.length > 0;
};

function segment(value: string | undefined): Record<string, unknown> | undefined {
  if (!value || !isBase64Url(value)) return undefined;
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

/** The protected header of a five-part (JWE) token, or undefined when it is not one. */
export function decodeEncryptedHeader(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  return parts.length === 5 ? segment(parts[0]) : undefined;
}
