// Where the fake lives and which issuer strings it writes, per Entra's rules:
// v2 tokens: {authorityHost}/{tid}/v2.0; v1 tokens: {v1IssuerHost}/{tid}/ (sts.windows.net publicly).

/** The cloud a fake serves: its hosts and instance name. */
export interface FakeCloud {
  /** Origin that serves discovery, keys and tokens, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Origin of v1 issuers, e.g. `https://sts.windows.net`. */
  v1IssuerHost: string;
  /** `cloud_instance_name` in discovery and keys. */
  cloudInstanceName: string;
}

const KNOWN_CLOUDS: Record<string, Omit<FakeCloud, 'authorityHost'>> = {
  'https://login.microsoftonline.com': { v1IssuerHost: 'https://sts.windows.net', cloudInstanceName: 'microsoftonline.com' },
  'https://login.microsoftonline.us': { v1IssuerHost: 'https://sts.windows.net', cloudInstanceName: 'microsoftonline.us' },
  'https://login.chinacloudapi.cn': { v1IssuerHost: 'https://sts.chinacloudapi.cn', cloudInstanceName: 'partner.microsoftonline.cn' },
};

export const TENANT_TEMPLATE = '{tenantid}';

export function resolveCloud(options: Partial<FakeCloud>): FakeCloud {
  const authorityHost = new URL(options.authorityHost ?? 'https://login.microsoftonline.com').origin;
  const known = KNOWN_CLOUDS[authorityHost];
  return {
    authorityHost,
    v1IssuerHost: options.v1IssuerHost ? new URL(options.v1IssuerHost).origin : (known?.v1IssuerHost ?? authorityHost),
    cloudInstanceName: options.cloudInstanceName ?? known?.cloudInstanceName ?? new URL(authorityHost).hostname,
  };
}

export function issuerFor(cloud: FakeCloud, version: 1 | 2, tenantId: string): string {
  return version === 1 ? `${cloud.v1IssuerHost}/${tenantId}/` : `${cloud.authorityHost}/${tenantId}/v2.0`;
}
