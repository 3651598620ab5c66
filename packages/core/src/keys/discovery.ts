// Discovery mode (B2C, External ID / CIAM, custom authorities): the issuer and jwks_uri come from
// the authority's OpenID metadata, fetched once and refreshed like a key set.
import { authError } from '../errors.js';
import type { EventSink } from '../events.js';
import { fetchJson, FetchJsonError } from './fetch-json.js';
import type { FetchLike, JwksOptions } from '../options.js';
import { discoveredIssuerTenant } from '../token/issuer.js';
import { checkedOrigin } from './origin.js';

/** What discovery mode uses from an authority's OpenID metadata. */
export interface DiscoveredMetadata {
  /** `issuer`, exactly as served (may hold `{tenantid}`). */
  issuer: string;
  /** The tenant the issuer names (lower-cased), or undefined for a `{tenantid}` template; see {@link discoveredIssuerTenant}. */
  issuerTenant: string | undefined;
  /** `jwks_uri`. */
  jwksUri: string;
  /** `authorization_endpoint` when the document names an https one: the claims challenge's `authorization_uri`. */
  authorizationEndpoint: string | undefined;
}

/** What a {@link DiscoveryCache} needs. */
export interface DiscoveryOptions {
  authority: string;
  appId: string | undefined;
  jwks: Required<JwksOptions>;
  fetch: FetchLike;
  now: () => number;
  emit: EventSink;
  signal: AbortSignal;
}

/** `{authority}/.well-known/openid-configuration`, with `?appid=` when given. */
/**
 * The metadata URL of an authority, as MSAL finds it (msal-common, src/authority/Authority.ts,
 * defaultOpenIdConfigurationEndpoint): an authority ending in /v2.0 gets
 * /.well-known/openid-configuration, any other gets /v2.0/.well-known/openid-configuration. So the
 * authority string a client gives MSAL (https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi,
 * https://login.microsoftonline.com/<tenant>) works here as it is; a full metadata URL is used as given.
 */
export function discoveryUrl(authority: string, appId: string | undefined): string {
  const base = authority.endsWith('/.well-known/openid-configuration')
    ? authority
    : authority.endsWith('/v2.0')
      ? `${authority}/.well-known/openid-configuration`
      : `${authority}/v2.0/.well-known/openid-configuration`;
  return appId ? `${base}${base.includes('?') ? '&' : '?'}appid=${encodeURIComponent(appId)}` : base;
}

/** The authority's metadata, fetched once and refreshed like a key set; stale metadata is kept when a refresh fails. */
export class DiscoveryCache {
  private metadata: DiscoveredMetadata | undefined;
  private refreshDueAt = 0;
  private retryAt = 0;
  private inflight: Promise<void> | undefined;
  private failure = '';
  readonly url: string;

  constructor(private readonly options: DiscoveryOptions) {
    this.url = discoveryUrl(options.authority, options.appId);
  }

  /** The metadata loaded so far, without fetching. */
  peek(): DiscoveredMetadata | undefined {
    return this.metadata;
  }

  /** The metadata, loading it on first use and refreshing it in the background when due. */
  async get(): Promise<DiscoveredMetadata> {
    const now = this.options.now();
    if (!this.metadata) {
      if (now >= this.retryAt) await this.load();
      if (!this.metadata) throw this.unavailable();
    } else if (now >= this.refreshDueAt) {
      void this.load();
    }
    return this.metadata;
  }

  private load(): Promise<void> {
    this.inflight ??= this.fetchMetadata().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchMetadata(): Promise<void> {
    const { jwks, emit } = this.options;
    try {
      const doc = (await fetchJson(this.url, { fetch: this.options.fetch, timeoutMs: jwks.timeoutMs, maxBytes: jwks.maxResponseBytes, signal: this.options.signal })) as Record<string, unknown> | null;
      if (typeof doc?.issuer !== 'string' || typeof doc.jwks_uri !== 'string') throw new FetchJsonError('answered without issuer and jwks_uri', 200);
      let jwksUri: string;
      try {
        jwksUri = checkedOrigin(doc.jwks_uri, 'jwks_uri');
      } catch {
        throw new FetchJsonError(`names a jwks_uri that is not https: ${doc.jwks_uri.slice(0, 200)}`, 200);
      }
      let authorizationEndpoint: string | undefined;
      try {
        authorizationEndpoint = typeof doc.authorization_endpoint === 'string' ? checkedOrigin(doc.authorization_endpoint, 'authorization_endpoint') : undefined;
      } catch {
        authorizationEndpoint = undefined;
      }
      this.metadata = { issuer: doc.issuer, issuerTenant: discoveredIssuerTenant(doc.issuer), jwksUri, authorizationEndpoint };
      this.refreshDueAt = this.options.now() + jwks.refreshIntervalMs;
      emit({ type: 'discovery_fetched', url: this.url, issuer: doc.issuer, jwksUri });
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      this.retryAt = this.options.now() + 10_000;
      if (this.metadata) this.refreshDueAt = this.options.now() + jwks.unknownKidCooldownMs;
    }
  }

  private unavailable() {
    return authError('keys_unavailable', 'The token signing keys are temporarily unavailable. Try again shortly.', `The authority metadata at ${this.url} ${this.failure || 'could not be loaded'}. Check the authority option (for B2C: https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/<policy>/v2.0; for External ID: https://<tenant>.ciamlogin.com/<tenant-id>/v2.0).`, {
      retryAfterSeconds: Math.max(1, Math.ceil((this.retryAt - this.options.now()) / 1000)),
    });
  }
}
