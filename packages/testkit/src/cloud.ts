// Where the fake lives and which issuer strings it writes. The facts come from knownClouds
// (Microsoft's published metadata); an origin that is not a known cloud (loopback, a custom
// authority) issues under its own origin.
import { findKnownCloud, type CloudName } from './known-clouds.js';

/** The cloud a fake serves: its hosts and instance name. */
export interface FakeCloud {
  /** The known cloud it is (see {@link knownClouds}), or undefined for any other origin. */
  name: CloudName | undefined;
  /** Origin that serves discovery, keys and tokens, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Other origins the fake also answers on (the cloud's aliases, e.g. `login.partner.microsoftonline.cn`). */
  aliases: string[];
  /** Origin of v1 issuers, e.g. `https://sts.windows.net`. */
  v1IssuerHost: string;
  /** Origin of v2 issuers: the authority host, except in China (`https://login.partner.microsoftonline.cn`). */
  v2IssuerHost: string;
  /** Origin of `jwks_uri` in discovery. */
  keySetHost: string;
  /** `cloud_instance_name` in discovery and keys. */
  cloudInstanceName: string;
  /** `msgraph_host` in discovery, when Microsoft publishes it for this cloud. */
  msGraphHost: string | undefined;
}

/** What a caller may say about the cloud; everything else comes from {@link knownClouds}. */
export interface CloudOptions {
  cloud?: CloudName;
  authorityHost?: string;
  v1IssuerHost?: string;
  v2IssuerHost?: string;
  cloudInstanceName?: string;
}

export const TENANT_TEMPLATE = '{tenantid}';

const originOf = (url: string) => new URL(url).origin;

export function resolveCloud(options: CloudOptions): FakeCloud {
  const named = options.cloud ? findKnownCloud(options.cloud) : undefined;
  if (options.cloud && !named) throw new TypeError(`createFakeEntra: unknown cloud "${options.cloud}"`);
  const authorityHost = originOf(options.authorityHost ?? named?.authorityHost ?? 'https://login.microsoftonline.com');
  const known = named ?? findKnownCloud(authorityHost);
  // An alias used as the authority (login.partner.microsoftonline.cn) keeps the cloud's facts,
  // and the cloud's main authority host becomes an alias in turn.
  const aliases = known ? [known.authorityHost, ...known.aliases].filter((a) => a !== authorityHost) : [];
  return {
    name: known?.name,
    authorityHost,
    aliases,
    v1IssuerHost: options.v1IssuerHost ? originOf(options.v1IssuerHost) : (known?.v1IssuerHost ?? authorityHost),
    v2IssuerHost: options.v2IssuerHost ? originOf(options.v2IssuerHost) : (known?.v2IssuerHost ?? authorityHost),
    // Newer MSAL keys China by its alias with jwks_uri on that same host; so does the fake.
    keySetHost: known && known.authorityHost === authorityHost ? known.keySetHost : authorityHost,
    cloudInstanceName: options.cloudInstanceName ?? known?.cloudInstanceName ?? new URL(authorityHost).hostname,
    msGraphHost: known?.msGraphHost,
  };
}

export function issuerFor(cloud: FakeCloud, version: 1 | 2, tenantId: string): string {
  return version === 1 ? `${cloud.v1IssuerHost}/${tenantId}/` : `${cloud.v2IssuerHost}/${tenantId}/v2.0`;
}
