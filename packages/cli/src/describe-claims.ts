// The doctor's summary of a token: each line says what the value is and which form it has, in
// the words the core's hints use, so the two read as one explanation.
import { durationInWords, isAppOnly, isGraphAudience, isGuid, type EntraAccessTokenClaims } from '@entra-verify/core';

export interface SummaryRow {
  label: string;
  value: string;
  /** The line needs the reader's attention (expired, a Graph token, …). */
  warn?: boolean;
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function relative(seconds: number, nowSeconds: number): string {
  const delta = Math.round(seconds - nowSeconds);
  return delta >= 0 ? `in ${durationInWords(delta)}` : `${durationInWords(delta)} ago`;
}

function localTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`;
}

function issuerForm(iss: string | undefined): string {
  if (!iss) return '(none)';
  if (/^https:\/\/sts\.(windows\.net|chinacloudapi\.cn)\/[^/]+\/$/.test(iss)) return `${iss}  (v1 form)`;
  if (/^https:\/\/[^/]+\/[^/]+\/v2\.0$/.test(iss)) return `${iss}  (v2 form)`;
  return `${iss}  (not an Entra ID issuer form: B2C, External ID or another issuer)`;
}

function audienceForm(aud: string): string {
  if (isGraphAudience(aud)) return `${aud}  (Microsoft Graph: only Graph can verify this token)`;
  if (isGuid(aud)) return `${aud}  (GUID: an application (client) id, the form v2 tokens carry)`;
  if (aud.startsWith('api://')) return `${aud}  (Application ID URI, the form v1 tokens carry)`;
  return `${aud}  (URI)`;
}

function clientAuth(acr: string | undefined): string {
  return acr === '0' ? 'public client' : acr === '1' ? 'client secret' : acr === '2' ? 'certificate' : 'authentication unknown';
}

export function describeClaims(header: Record<string, unknown>, claims: Record<string, unknown>, nowSeconds: number): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const ver = str(claims.ver);
  rows.push({ label: 'version', value: ver ? `${ver}${claims.nonce !== undefined ? '  (has a nonce claim: an ID token?)' : ''}` : '(no ver claim)' });
  rows.push({ label: 'issuer', value: issuerForm(str(claims.iss)) });
  rows.push({ label: 'tenant', value: str(claims.tid) ?? '(no tid claim)', warn: !str(claims.tid) });
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.map(String) : [];
  rows.push({ label: 'audience', value: audiences.length ? audiences.map(audienceForm).join(', ') : '(no aud claim)', warn: audiences.some(isGraphAudience) });
  const azp = str(claims.azp) ?? str(claims.appid);
  rows.push({ label: 'client app', value: azp ? `${azp}  (${claims.azp ? 'azp' : 'appid'}; ${clientAuth(str(claims.azpacr) ?? str(claims.appidacr))})` : '(no azp or appid)' });
  // The same rule the verifier uses, so the doctor never calls a token app-only that core does not.
  const appOnly = isAppOnly(claims as EntraAccessTokenClaims);
  const username = str(claims.preferred_username) ?? str(claims.upn) ?? str(claims.unique_name);
  rows.push({
    label: 'caller',
    value: appOnly
      ? `app-only (client credentials), service principal ${str(claims.oid) ?? '?'}`
      : `user ${[str(claims.name), username ? `<${username}>` : undefined].filter(Boolean).join(' ') || '(unnamed)'}, oid ${str(claims.oid) ?? '?'}`,
  });
  rows.push({ label: 'scopes', value: str(claims.scp) ?? '(none)' });
  rows.push({ label: 'roles', value: Array.isArray(claims.roles) && claims.roles.length ? claims.roles.join(' ') : '(none)' });
  for (const [label, claim] of [['issued', 'iat'], ['not before', 'nbf'], ['expires', 'exp']] as const) {
    const value = claims[claim];
    if (typeof value !== 'number') {
      rows.push({ label, value: claim === 'exp' ? '(no exp: never expires, refused)' : '(not set)', warn: claim === 'exp' });
      continue;
    }
    const rel = relative(value, nowSeconds);
    const expired = claim === 'exp' && value < nowSeconds;
    rows.push({ label, value: `${localTime(value)}  (${claim === 'exp' ? (expired ? `expired ${rel}` : `expires ${rel}`) : rel})`, warn: expired || (claim === 'nbf' && value > nowSeconds) });
  }
  const headerBits = [`alg ${String(header.alg)}`, header.kid ? `kid ${String(header.kid)}` : header.x5t ? `x5t ${String(header.x5t)}` : 'no kid', header.typ ? `typ ${String(header.typ)}` : undefined].filter(Boolean);
  rows.push({ label: 'header', value: headerBits.join(', ') });
  if (header.nonce !== undefined) rows.push({ label: 'nonce', value: 'present in the header: a Microsoft Graph token, which no other API can verify', warn: true });
  return rows;
}
