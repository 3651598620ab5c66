// Entra's clouds: where each serves discovery and keys, and which issuer host each token version
// names. Every host comes from Microsoft:
// - authority (key-set) host and v2 issuer: MSAL's shipped authority metadata, msal-common
//   src/authority/AuthorityMetadata.ts (rawMetdataJSON.endpointMetadata: jwks_uri and issuer per
//   host), AzureAD/microsoft-authentication-library-for-js. China is the one cloud whose v2 issuer
//   host (login.partner.microsoftonline.cn) differs from its authority host (login.chinacloudapi.cn).
//   GovSG's entry publishes jwks_uri under /common only.
// - v1 issuer host: sts.windows.net is an alias of the public cloud in the same file
//   (instanceDiscoveryMetadata); Microsoft's answer "What are the token issuers for the sovereign
//   cloud" (https://learn.microsoft.com/answers/questions/1190472) gives sts.windows.net for the
//   public and US Government clouds and sts.chinacloudapi.cn for China. Microsoft names no v1
//   issuer for the Bleu, Delos and GovSG clouds, so none is built in: v1 tokens are refused there
//   unless the user names the host ({ authorityHost, v1IssuerHost }).
// - cloud names: Microsoft Graph PowerShell's built-in environments (BleuCloud, DelosCloud,
//   GovSGCloud; Get-MgEnvironment); cloud_instance_name: the document login.microsoftonline.com
//   serves (https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration).

/**
 * Microsoft's clouds: global (`public`), US Government (`usgov`), China operated by 21Vianet
 * (`china`), and the partner sovereign clouds MSAL knows: France's Bleu (`bleu`,
 * login.sovcloud-identity.fr), Germany's Delos (`delos`, login.sovcloud-identity.de) and
 * Singapore's GovSG (`govsg`, login.sovcloud-identity.sg).
 */
export type CloudName = 'public' | 'usgov' | 'china' | 'bleu' | 'delos' | 'govsg';

/** The hosts of one cloud, as origins without a trailing slash. */
export interface CloudEndpoints {
  /** Origin of discovery and key sets, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Origin of v1 issuers (`{host}/{tid}/`), e.g. `https://sts.windows.net`; undefined where Microsoft names none (v1 tokens are then refused). */
  v1IssuerHost: string | undefined;
  /** Origin of v2 issuers (`{host}/{tid}/v2.0`), e.g. `https://login.partner.microsoftonline.cn` in China. */
  v2IssuerHost: string;
  /** The tenant segment of the key-set URL when the cloud publishes keys under one path for every tenant (`common` in GovSG). */
  keySetTenant?: 'common';
  /** `cloud_instance_name` in this cloud's metadata and keys, where Microsoft's documents show it. */
  cloudInstanceName?: string;
}

/** The built-in clouds' hosts; see the sources at the top of this file. */
export const CLOUDS: Readonly<Record<CloudName, Readonly<CloudEndpoints>>> = {
  public: { authorityHost: 'https://login.microsoftonline.com', v1IssuerHost: 'https://sts.windows.net', v2IssuerHost: 'https://login.microsoftonline.com', cloudInstanceName: 'microsoftonline.com' },
  // cloud_instance_name of usgov and china: the endpoint metadata MSAL shipped in msal-common's
  // src/authority/AuthorityMetadata.ts (commit f4f67e6df442aa5ad82c5f8b2e13facdfaae2c7c), captured
  // from login.microsoftonline.us/common and login.chinacloudapi.cn/common.
  usgov: { authorityHost: 'https://login.microsoftonline.us', v1IssuerHost: 'https://sts.windows.net', v2IssuerHost: 'https://login.microsoftonline.us', cloudInstanceName: 'microsoftonline.us' },
  china: { authorityHost: 'https://login.chinacloudapi.cn', v1IssuerHost: 'https://sts.chinacloudapi.cn', v2IssuerHost: 'https://login.partner.microsoftonline.cn', cloudInstanceName: 'partner.microsoftonline.cn' },
  bleu: { authorityHost: 'https://login.sovcloud-identity.fr', v1IssuerHost: undefined, v2IssuerHost: 'https://login.sovcloud-identity.fr' },
  delos: { authorityHost: 'https://login.sovcloud-identity.de', v1IssuerHost: undefined, v2IssuerHost: 'https://login.sovcloud-identity.de' },
  govsg: { authorityHost: 'https://login.sovcloud-identity.sg', v1IssuerHost: undefined, v2IssuerHost: 'https://login.sovcloud-identity.sg', keySetTenant: 'common' },
};

/** The built-in cloud names, in the order hints list them. */
export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];

/** Which built-in clouds issue tokens from (or serve keys at) an origin; several share sts.windows.net. For hints only. */
export function cloudsOfHost(origin: string): CloudName[] {
  return CLOUD_NAMES.filter((name) => {
    const cloud = CLOUDS[name];
    return origin === cloud.authorityHost || origin === cloud.v1IssuerHost || origin === cloud.v2IssuerHost;
  });
}

/** The v1 issuer for a tenant, or undefined in a cloud without v1 issuers. */
export const v1Issuer = (cloud: CloudEndpoints, tenantId: string): string | undefined => (cloud.v1IssuerHost === undefined ? undefined : `${cloud.v1IssuerHost}/${tenantId}/`);

/** The v2 issuer for a tenant. */
export const v2Issuer = (cloud: CloudEndpoints, tenantId: string): string => `${cloud.v2IssuerHost}/${tenantId}/v2.0`;

/** The v2 key-set URL for a tenant segment (a GUID or `common`), with `?appid=` for apps with custom signing keys. */
export function keySetUrl(cloud: CloudEndpoints, tenantSegment: string, appId: string | undefined): string {
  return `${cloud.authorityHost}/${cloud.keySetTenant ?? tenantSegment}/discovery/v2.0/keys${appId ? `?appid=${encodeURIComponent(appId)}` : ''}`;
}

/**
 * The authorize endpoint a claims challenge names (`authorization_uri`), in the form of the example
 * in Microsoft's "Claims challenges, claims requests and client capabilities"
 * (https://learn.microsoft.com/entra/identity-platform/claims-challenge):
 * `https://login.microsoftonline.com/common/oauth2/authorize`.
 */
export const authorizeEndpoint = (cloud: CloudEndpoints, tenantSegment: string): string => `${cloud.authorityHost}/${tenantSegment}/oauth2/authorize`;
