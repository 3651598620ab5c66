// An API Management policy document, taken as written: `validate-azure-ad-token`
// (https://learn.microsoft.com/azure/api-management/validate-azure-ad-token-policy) and the
// Entra-shaped subset of `validate-jwt` (https://learn.microsoft.com/azure/api-management/validate-jwt-policy):
// openid-config on an Entra authority, audiences, issuers, required-claims. Either may stand alone
// or sit in <policies><inbound>. Whatever forward-auth cannot do as API Management would (policy
// expressions, signing or decryption keys in the policy, other policies, output variables) is a
// precise error, never silently dropped: a policy that looks enforced must be enforced.
import { isGuid } from '@entra-verify/core';
import type { FileVerifierOptions, ForwardAuthConfig } from './config.js';
import { substituteNamedValues } from './named-values.js';
import type { RequiredClaim } from './required-claims.js';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml-reader.js';

/** What a policy contributes to the configuration. */
export interface ApimPolicySettings {
  /** Verifier options the policy defines (tenant, audience, allowedClientApps, tokenVersion, …). */
  verifier: FileVerifierOptions;
  /** Where the token is, when not `Authorization: Bearer`. */
  token?: ForwardAuthConfig['token'];
  /** failed-validation-httpcode (default 401, as in API Management) and -error-message. */
  failure: {
    /** Status for refused tokens. */
    status: number;
    /** `error_description` of the body. */
    message?: string;
  };
  /** required-claims, checked on every request that needs a token. */
  requiredClaims: RequiredClaim[];
}

/** How a policy is read: named values from `env`, tenant domain names resolved with `fetch`. */
export interface ApimPolicyContext {
  /** Named values (`{{name}}`) come from here. */
  env: Readonly<Record<string, string | undefined>>;
  /** Fetches an authority's openid-configuration to turn a tenant domain name into its GUID. */
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  /** Verifier options the surrounding configuration file sets (e.g. an audience the policy lacks). */
  outer?: FileVerifierOptions;
}

/** Entra authority hosts and the core `cloud` each stands for (core's clouds.ts, from Microsoft's instance metadata). */
const AUTHORITY_HOSTS: Record<string, FileVerifierOptions['cloud']> = {
  'login.microsoftonline.com': 'public',
  'login.microsoft.com': 'public',
  'login.windows.net': 'public',
  'login.microsoftonline.us': 'usgov',
  'login.chinacloudapi.cn': 'china',
  'login.partner.microsoftonline.cn': 'china',
};
const ISSUER = /^https:\/\/([^/]+)\/([0-9a-fA-F-]{36})\/(v2\.0)?\/?$/;

type Problem = (message: string) => void;

/** The validate element, from a bare policy or from <policies><inbound>. */
function findValidation(root: XmlElement, problem: Problem): XmlElement | undefined {
  if (root.name === 'validate-azure-ad-token' || root.name === 'validate-jwt') return root;
  if (root.name !== 'policies') {
    problem(`<${root.name}> (line ${root.line}): expected <policies>, <validate-azure-ad-token> or <validate-jwt> as the root element`);
    return undefined;
  }
  let found: XmlElement | undefined;
  for (const section of root.children) {
    if (!['inbound', 'backend', 'outbound', 'on-error'].includes(section.name)) {
      problem(`<${section.name}> (line ${section.line}): not a policy section (inbound, backend, outbound, on-error)`);
      continue;
    }
    for (const policy of section.children) {
      if (policy.name === 'base') continue;
      if (section.name === 'inbound' && (policy.name === 'validate-azure-ad-token' || policy.name === 'validate-jwt')) {
        if (found) problem(`<${policy.name}> (line ${policy.line}): a second token validation; forward-auth applies exactly one`);
        else found = policy;
        continue;
      }
      problem(`<${policy.name}> (line ${policy.line}) in <${section.name}>: forward-auth only answers whether a request may pass (validate-azure-ad-token or validate-jwt in <inbound>); apply ${policy.name} in your proxy or remove it`);
    }
  }
  if (!found && root.children.length > 0) problem('<policies> has no <validate-azure-ad-token> or <validate-jwt> in <inbound>');
  return found;
}

/** Named values substituted, policy expressions refused: the text forward-auth will use. */
function literal(text: string, where: string, context: ApimPolicyContext, problem: Problem): string {
  const value = substituteNamedValues(text.trim(), context.env, (name, tried) => problem(`${where}: named value {{${name}}} is not set; set the environment variable ${tried.join(' or ')}`));
  if (value.startsWith('@(') || value.startsWith('@{')) {
    problem(`${where}: policy expressions (${value.slice(0, 40)}${value.length > 40 ? '…' : ''}) run only inside API Management; write the value itself, or a {{named value}} from the environment`);
  }
  return value;
}

function values(element: XmlElement, child: string, context: ApimPolicyContext, problem: Problem): string[] {
  const out: string[] = [];
  for (const item of element.children) {
    if (item.name !== child) {
      problem(`<${item.name}> (line ${item.line}) in <${element.name}>: expected <${child}>`);
      continue;
    }
    if (item.attributes.size > 0) problem(`<${child}> (line ${item.line}): attributes are not supported here`);
    const value = literal(item.text, `<${child}> (line ${item.line})`, context, problem);
    if (value === '') problem(`<${child}> (line ${item.line}) is empty`);
    else out.push(value);
  }
  if (element.children.length === 0) problem(`<${element.name}> (line ${element.line}) lists nothing`);
  return out;
}

function requiredClaims(element: XmlElement, context: ApimPolicyContext, problem: Problem): RequiredClaim[] {
  const claims: RequiredClaim[] = [];
  for (const claim of element.children) {
    const at = `<${claim.name}> (line ${claim.line})`;
    if (claim.name !== 'claim') {
      problem(`${at} in <required-claims>: expected <claim name="…">`);
      continue;
    }
    for (const attribute of claim.attributes.keys()) if (!['name', 'match', 'separator'].includes(attribute)) problem(`${at}: unknown attribute ${attribute} (name, match, separator)`);
    const name = literal(claim.attributes.get('name') ?? '', `${at} name`, context, problem);
    if (name === '') problem(`${at}: the name attribute is required`);
    const match = claim.attributes.has('match') ? literal(claim.attributes.get('match')!, `${at} match`, context, problem) : 'all';
    if (match !== 'all' && match !== 'any') problem(`${at}: match must be "all" or "any", got "${match}"`);
    const separator = claim.attributes.get('separator');
    const rule: RequiredClaim = { name, values: values(claim, 'value', context, problem), match: match === 'any' ? 'any' : 'all' };
    if (separator !== undefined && separator !== '') rule.separator = literal(separator, `${at} separator`, context, problem);
    claims.push(rule);
  }
  return claims;
}

/** A tenant GUID from an authority's openid-configuration issuer (for tenant domain names). */
async function resolveTenant(url: string, context: ApimPolicyContext): Promise<string> {
  const response = await context.fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const metadata = (await response.json()) as { issuer?: unknown };
  const match = typeof metadata.issuer === 'string' ? ISSUER.exec(metadata.issuer) ?? /^https:\/\/[^/]+\/([0-9a-fA-F-]{36})\//.exec(metadata.issuer) : null;
  const tid = match?.[2] ?? match?.[1];
  if (!tid || !isGuid(tid)) throw new Error(`${url} names no tenant GUID in its issuer`);
  return tid.toLowerCase();
}

interface Authority {
  host: string;
  tenant: string;
  version: 1 | 2;
  metadataUrl: string;
}

/** An Entra openid-config URL: `https://<host>/<tenant>[/v2.0]/.well-known/openid-configuration`. */
function parseAuthority(url: string, where: string, problem: Problem): Authority | undefined {
  const match = /^https:\/\/([^/]+)\/([^/]+)(\/v2\.0)?\/\.well-known\/openid-configuration(\?.*)?$/.exec(url);
  if (!match || AUTHORITY_HOSTS[match[1]!.toLowerCase()] === undefined) {
    problem(`${where}: "${url}" is not a Microsoft Entra ID metadata URL (https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration); for Azure AD B2C or External ID use a forward-auth configuration with verifier.authority`);
    return undefined;
  }
  const tenant = match[2]!.toLowerCase();
  if (tenant === 'common' || tenant === 'organizations' || tenant === 'consumers') {
    problem(`${where}: the multi-tenant "${tenant}" metadata needs an allow-list of tenants, which a policy cannot state; use a forward-auth configuration with verifier.tenant "${tenant}" and verifier.allowedTenants`);
    return undefined;
  }
  if (match[4]) problem(`${where}: query parameters (${match[4]}) on the metadata URL are not supported; for apps with their own signing keys set verifier.appId in a forward-auth configuration`);
  return { host: match[1]!.toLowerCase(), tenant, version: match[3] ? 2 : 1, metadataUrl: url };
}

function statusOf(text: string | undefined, where: string, problem: Problem): number {
  if (text === undefined) return 401;
  const status = Number(text);
  if (!Number.isInteger(status) || status < 400 || status > 499) {
    problem(`${where}: failed-validation-httpcode must be a 4xx status, got "${text}" (a 503 for unavailable signing keys is always kept)`);
    return 401;
  }
  return status;
}

/**
 * Read a policy document into settings. Every problem is collected; the caller throws them
 * together with the configuration file's own (see loadConfig).
 */
export async function readApimPolicy(xml: string, context: ApimPolicyContext, problem: (message: string) => void): Promise<ApimPolicySettings | undefined> {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      problem(`not well-formed XML: ${error.message}`);
      return undefined;
    }
    throw error;
  }
  const policy = findValidation(root, problem);
  if (!policy) return undefined;
  const isJwt = policy.name === 'validate-jwt';
  const at = `<${policy.name}> (line ${policy.line})`;
  const attr = (name: string) => (policy.attributes.has(name) ? literal(policy.attributes.get(name)!, `${at} ${name}`, context, problem) : undefined);
  const known = isJwt
    ? ['header-name', 'query-parameter-name', 'token-value', 'failed-validation-httpcode', 'failed-validation-error-message', 'require-expiration-time', 'require-scheme', 'require-signed-tokens', 'clock-skew', 'output-token-variable-name']
    : ['tenant-id', 'header-name', 'query-parameter-name', 'token-value', 'failed-validation-httpcode', 'failed-validation-error-message', 'output-token-variable-name'];
  for (const name of policy.attributes.keys()) if (!known.includes(name)) problem(`${at}: unknown attribute ${name}`);

  if (policy.attributes.has('token-value')) problem(`${at}: token-value is a policy expression over API Management's context; use header-name or query-parameter-name`);
  if (policy.attributes.has('output-token-variable-name')) {
    problem(`${at}: output-token-variable-name feeds later API Management policies, which forward-auth does not run; remove it (the verified identity reaches the upstream as X-Entra-* headers)`);
  }
  const settings: ApimPolicySettings = { verifier: { tenant: '' }, failure: { status: statusOf(attr('failed-validation-httpcode'), at, problem) }, requiredClaims: [] };
  const message = attr('failed-validation-error-message');
  if (message !== undefined) settings.failure.message = message;
  const header = attr('header-name');
  const query = attr('query-parameter-name');
  if (header !== undefined && query !== undefined) problem(`${at}: name either header-name or query-parameter-name, not both`);
  if (header !== undefined && header.toLowerCase() !== 'authorization') settings.token = { header };
  if (query !== undefined) settings.token = { queryParameter: query };

  if (isJwt) {
    for (const [name, ok] of [['require-expiration-time', 'true'], ['require-signed-tokens', 'true']] as const) {
      const value = attr(name);
      if (value !== undefined && value.toLowerCase() !== ok) problem(`${at}: ${name}="${value}" cannot be honoured: forward-auth always requires ${name === 'require-expiration-time' ? 'exp' : 'a signature by the tenant\'s keys'}`);
    }
    const scheme = attr('require-scheme');
    if (scheme !== undefined && (scheme.toLowerCase() !== 'bearer' || settings.token !== undefined)) problem(`${at}: require-scheme="${scheme}" is supported only as "Bearer" with the Authorization header`);
    // validate-jwt's clock-skew defaults to 0 seconds (the policy reference); validate-azure-ad-token
    // states none, and keeps core's 300 s.
    const skew = attr('clock-skew');
    const seconds = skew === undefined ? 0 : Number(skew);
    if (!Number.isInteger(seconds) || seconds < 0) problem(`${at}: clock-skew must be whole seconds, got "${skew}"`);
    else settings.verifier.clockToleranceSeconds = seconds;
  }

  let authority: Authority | undefined;
  let tenantText = isJwt ? undefined : attr('tenant-id');
  if (!isJwt && (tenantText === undefined || tenantText === '')) problem(`${at}: tenant-id is required`);
  const audiences: string[] = [];
  let issuers: string[] | undefined;
  let sawClientApps = false;
  for (const child of policy.children) {
    const where = `<${child.name}> (line ${child.line})`;
    switch (child.name) {
      case 'audiences':
        audiences.push(...values(child, 'audience', context, problem));
        break;
      case 'client-application-ids':
        if (isJwt) problem(`${where}: not a validate-jwt element; use validate-azure-ad-token, or required-claims on azp/appid`);
        sawClientApps = true;
        settings.verifier.allowedClientApps = values(child, 'application-id', context, problem);
        break;
      case 'backend-application-ids':
        if (isJwt) problem(`${where}: not a validate-jwt element`);
        // The backend app's id: tokens for it carry aud = the id (v2) or its Application ID URI,
        // api://<id> by default (v1): both are accepted, as core's clientId does.
        for (const id of values(child, 'application-id', context, problem)) audiences.push(id, `api://${id}`);
        break;
      case 'required-claims':
        settings.requiredClaims.push(...requiredClaims(child, context, problem));
        break;
      case 'openid-config': {
        if (!isJwt) problem(`${where}: not a validate-azure-ad-token element (it uses tenant-id)`);
        const url = literal(child.attributes.get('url') ?? '', `${where} url`, context, problem);
        const parsed = parseAuthority(url, where, problem);
        if (parsed && authority && (parsed.host !== authority.host || parsed.tenant !== authority.tenant)) problem(`${where}: a second openid-config for another tenant or cloud; forward-auth serves one tenant per policy`);
        authority ??= parsed;
        break;
      }
      case 'issuers':
        if (!isJwt) problem(`${where}: not a validate-azure-ad-token element`);
        issuers = values(child, 'issuer', context, problem);
        break;
      case 'issuer-signing-keys':
        problem(`${where}: signing keys in the policy cannot be honoured: Entra signs with the keys its openid-config publishes (and rotates them); remove issuer-signing-keys and use openid-config`);
        break;
      case 'decryption-keys':
        problem(`${where}: decryption keys refer to API Management's certificate store; give forward-auth the private key through its own configuration instead`);
        break;
      default:
        problem(`${where}: unknown element in <${policy.name}>`);
    }
  }
  if (!isJwt && !sawClientApps) problem(`${at}: <client-application-ids> is required by API Management (the client apps allowed to call); list at least one <application-id>`);

  // The tenant and cloud: tenant-id (a GUID, a domain name, or an authority URL) or openid-config.
  let host = 'login.microsoftonline.com';
  let metadataUrl: string | undefined;
  if (isJwt) {
    if (!authority) problem(`${at}: <openid-config url="https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration"/> is required: it names the tenant whose keys sign the tokens`);
    else {
      host = authority.host;
      tenantText = authority.tenant;
      metadataUrl = authority.metadataUrl;
      if (!issuers) settings.verifier.tokenVersion = authority.version;
    }
  } else if (tenantText !== undefined && /^https:\/\//i.test(tenantText)) {
    const match = /^https:\/\/([^/]+)\/([^/?#]+)\/?$/i.exec(tenantText);
    if (!match || AUTHORITY_HOSTS[match[1]!.toLowerCase()] === undefined) problem(`${at}: tenant-id "${tenantText}" is not an Entra authority URL (https://login.microsoftonline.com/<tenant>)`);
    else [host, tenantText] = [match[1]!.toLowerCase(), match[2]!];
  }
  if (tenantText) {
    settings.verifier.cloud = AUTHORITY_HOSTS[host] ?? 'public';
    if (isGuid(tenantText)) settings.verifier.tenant = tenantText.toLowerCase();
    else if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenantText)) {
      // A domain name: tokens carry the tenant GUID, so ask the authority which GUID it is, as
      // API Management does by reading the tenant's metadata.
      const url = metadataUrl ?? `https://${host}/${tenantText}/v2.0/.well-known/openid-configuration`;
      try {
        settings.verifier.tenant = await resolveTenant(url, context);
      } catch (error) {
        problem(`${at}: the tenant domain "${tenantText}" could not be resolved to its GUID (${error instanceof Error ? error.message : String(error)}); write the tenant GUID instead, e.g. tenant-id="{{aad-tenant-id}}"`);
      }
    } else if (!tenantText.includes('{{')) problem(`${at}: "${tenantText}" is neither a tenant GUID nor a domain name such as contoso.onmicrosoft.com`);
  }

  if (issuers && settings.verifier.tenant) {
    const versions = new Set<1 | 2>();
    for (const issuer of issuers) {
      const match = ISSUER.exec(issuer);
      if (!match || match[2]!.toLowerCase() !== settings.verifier.tenant) {
        problem(`<issuer> "${issuer}": forward-auth accepts the tenant's own Entra issuers only (https://login.microsoftonline.com/${settings.verifier.tenant}/v2.0 or https://sts.windows.net/${settings.verifier.tenant}/)`);
      } else versions.add(match[3] ? 2 : 1);
    }
    settings.verifier.tokenVersion = versions.size === 2 ? 'any' : versions.has(1) ? 1 : 2;
  }

  if (audiences.length > 0) settings.verifier.audience = [...new Set(audiences)];
  else if (context.outer?.audience === undefined && context.outer?.clientId === undefined) {
    problem(`${at}: no <audiences>${isJwt ? '' : ' or <backend-application-ids>'}: forward-auth checks every token's aud (without it, a token the tenant issued for any other app would pass). Add <audiences><audience>api://<your-api-client-id></audience></audiences>, or name this policy from a forward-auth configuration (apimPolicy) that sets verifier.audience or verifier.clientId`);
  }
  return settings;
}
