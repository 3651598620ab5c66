// Entra's national clouds: where keys live and which issuer hosts each token version uses.
// v1 tokens come from sts.windows.net in the public and US government clouds and from
// sts.chinacloudapi.cn in China; v2 tokens from the authority host itself.

/** Microsoft's clouds: global (`public`), US Government (`usgov`), China (21Vianet). */
export type CloudName = 'public' | 'usgov' | 'china';

export interface CloudEndpoints {
  /** Origin of discovery, keys and v2 issuers, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Origin of v1 issuers, e.g. `https://sts.windows.net`. */
  v1IssuerHost: string;
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  public: { authorityHost: 'https://login.microsoftonline.com', v1IssuerHost: 'https://sts.windows.net' },
  usgov: { authorityHost: 'https://login.microsoftonline.us', v1IssuerHost: 'https://sts.windows.net' },
  china: { authorityHost: 'https://login.chinacloudapi.cn', v1IssuerHost: 'https://sts.chinacloudapi.cn' },
};

/** Which cloud an issuer host belongs to, for hints about a misconfigured `cloud`. */
export function cloudOfIssuerHost(origin: string): CloudName | undefined {
  if (origin === 'https://sts.windows.net' || origin === CLOUDS.public.authorityHost) return 'public';
  if (origin === CLOUDS.usgov.authorityHost) return 'usgov';
  if (origin === CLOUDS.china.authorityHost || origin === CLOUDS.china.v1IssuerHost) return 'china';
  return undefined;
}

export const v1Issuer = (cloud: CloudEndpoints, tenantId: string) => `${cloud.v1IssuerHost}/${tenantId}/`;
export const v2Issuer = (cloud: CloudEndpoints, tenantId: string) => `${cloud.authorityHost}/${tenantId}/v2.0`;
