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

/** The strings of an untrusted list; never String() of it (a nested array recurses as it joins). */
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** A header or claim value for display: strings as they are (escaped when rendered), others by type. */
const display = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '(none)' : `(${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})`);

export function relative(seconds: number, nowSeconds: number): string {
  const delta = Math.round(seconds - nowSeconds);
  return delta >= 0 ? `in ${durationInWords(delta)}` : `${durationInWords(delta)} ago`;
}

function localTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return `${seconds} s since the epoch (outside any date)`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`;
}

/** The path segments of an https URL, or undefined; no regex runs over the untrusted issuer. */
function httpsPath(iss: string): { host: string; segments: string[] } | undefined {
  if (!iss.startsWith('https://')) return undefined;
  const [host = '', ...segments] = iss.slice('https://'.length).split('/');
  return host === '' ? undefined : { host, segments };
}

function issuerForm(iss: string | undefined): string {
  if (!iss) return '(none)';
  const url = httpsPath(iss);
  const [tenant, last, extra] = url?.segments ?? [];
  if (url && (url.host === 'sts.windows.net' || url.host === 'sts.chinacloudapi.cn') && tenant && last === '' && extra === undefined) return `${iss}  (v1 form)`;
  if (url && tenant && last === 'v2.0' && extra === undefined) return `${iss}  (v2 form)`;
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
  // B2C tokens name no tenant (tid) but the user flow or custom policy that issued them
  // (tfp, else acr: Azure AD B2C token overview).
  const userFlow = str(claims.tfp) ?? (str(claims.tid) === undefined ? str(claims.acr) : undefined);
  rows.push({ label: 'tenant', value: str(claims.tid) ?? (userFlow ? '(no tid claim: Azure AD B2C names its tenant in iss)' : '(no tid claim)'), warn: !str(claims.tid) && !userFlow });
  if (userFlow) rows.push({ label: 'user flow', value: `${userFlow}  (Azure AD B2C ${claims.tfp !== undefined ? 'user flow, tfp' : 'custom policy, acr'}: verify with authority set to that policy's metadata)` });
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : strings(claims.aud);
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
  rows.push({ label: 'roles', value: strings(claims.roles).length ? strings(claims.roles).join(' ') : '(none)' });
  for (const [label, claim] of [['issued', 'iat'], ['not before', 'nbf'], ['expires', 'exp']] as const) {
    const value = claims[claim];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      rows.push({ label, value: claim === 'exp' ? '(no exp: never expires, refused)' : '(not set)', warn: claim === 'exp' });
      continue;
    }
    const rel = relative(value, nowSeconds);
    const expired = claim === 'exp' && value < nowSeconds;
    rows.push({ label, value: `${localTime(value)}  (${claim === 'exp' ? (expired ? `expired ${rel}` : `expires ${rel}`) : rel})`, warn: expired || (claim === 'nbf' && value > nowSeconds) });
  }
  const headerBits = [`alg ${display(header.alg)}`, header.kid ? `kid ${display(header.kid)}` : header.x5t ? `x5t ${display(header.x5t)}` : 'no kid', header.typ ? `typ ${display(header.typ)}` : undefined].filter(Boolean);
  rows.push({ label: 'header', value: headerBits.join(', ') });
  if (header.nonce !== undefined) rows.push({ label: 'nonce', value: 'present in the header: a token for Microsoft Graph or another Microsoft API, which no other API can verify', warn: true });
  const binding = certificateBinding(claims.cnf);
  if (binding) rows.push({ label: 'bound to', value: binding, warn: true });
  return rows;
}

/** `cnf` (RFC 8705): a token usable only with the client certificate it names. */
function certificateBinding(cnf: unknown): string | undefined {
  if (cnf === undefined) return undefined;
  const thumbprint = typeof cnf === 'object' && cnf !== null && !Array.isArray(cnf) ? str((cnf as Record<string, unknown>)['x5t#S256']) : undefined;
  return thumbprint
    ? `client certificate x5t#S256 ${thumbprint}  (mTLS proof of possession: the API must see this certificate on the TLS connection; give it with --client-cert)`
    : `a cnf claim this verifier cannot check (${display(cnf)}): refused rather than accepted as a plain bearer token`;
}

/** A five-part token: only its protected header can be read without the decryption key. */
export function describeEncrypted(header: Record<string, unknown> | undefined): SummaryRow[] {
  const bits = header ? [`alg ${display(header.alg)}`, `enc ${display(header.enc)}`, header.kid !== undefined ? `kid ${display(header.kid)}` : undefined].filter(Boolean).join(', ') : 'unreadable';
  return [
    { label: 'format', value: 'encrypted token (JWE, five parts): the API\'s app registration has a token-encryption key, so Entra encrypts its tokens', warn: true },
    { label: 'header', value: bits },
    { label: 'decrypt', value: 'give the private key of the registration\'s encryption certificate with --decryption-key <pem or jwk file> to see and verify the token inside' },
  ];
}
