// The Entra clouds the fake knows, as Microsoft publishes them. Each fact is cited where it
// stands; a field left `undefined` is one no Microsoft source we found states, so the fake
// falls back to its own convention (see resolveCloud) instead of inventing a value.
//
// MSAL = AzureAD/microsoft-authentication-library-for-js, lib/msal-common/src/authority/AuthorityMetadata.ts
// (`rawMetdataJSON`: endpointMetadata per host, instanceDiscoveryMetadata aliases), as shipped in
// @azure/msal-common 16.16.1 and in the repository at 980f0b0 (2024-10-21) and later.

/** Short names of the clouds in {@link knownClouds}. */
export type CloudName = 'public' | 'usgov' | 'china' | 'france' | 'germany' | 'singapore';

/** One Entra cloud as Microsoft's own metadata describes it; origins have no trailing slash. */
export interface KnownCloud {
  /** Short name, e.g. `china`; also accepted by `createFakeEntra({ cloud })`. */
  readonly name: CloudName;
  /** Origin MSAL uses as the authority (token, authorize, discovery). */
  readonly authorityHost: string;
  /** Other hosts of the same cloud (MSAL's instance discovery `aliases`), as origins. */
  readonly aliases: readonly string[];
  /** Origin of v2 issuers: `{v2IssuerHost}/{tid}/v2.0`. Differs from the authority in China. */
  readonly v2IssuerHost: string;
  /** Origin of v1 issuers: `{v1IssuerHost}/{tid}/`; `undefined` where no source states it. */
  readonly v1IssuerHost: string | undefined;
  /** Origin of `jwks_uri`. */
  readonly keySetHost: string;
  /** `cloud_instance_name` in discovery; `undefined` where no source states it. */
  readonly cloudInstanceName: string | undefined;
  /** `msgraph_host` in discovery; `undefined` where no source states it. */
  readonly msGraphHost: string | undefined;
}

const origin = (host: string) => `https://${host}`;

/** Every cloud the fake knows, for tests that iterate over all of them. */
export const knownClouds: readonly KnownCloud[] = [
  {
    name: 'public',
    // MSAL endpointMetadata["login.microsoftonline.com"]: issuer and jwks_uri on the same host.
    authorityHost: origin('login.microsoftonline.com'),
    // MSAL instanceDiscoveryMetadata: login.windows.net, login.microsoft.com, sts.windows.net.
    aliases: ['login.windows.net', 'login.microsoft.com', 'sts.windows.net'].map(origin),
    v2IssuerHost: origin('login.microsoftonline.com'),
    // v1 issuer https://sts.windows.net/{tenantid}/: Microsoft's captured v1 discovery document
    // (AzureAD/MSIdentityTools tests/Get-MsIdOpenIdProviderConfiguration.tests.ps1) and
    // https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference (iss).
    v1IssuerHost: origin('sts.windows.net'),
    keySetHost: origin('login.microsoftonline.com'),
    // cloud_instance_name and msgraph_host: the captured common v2 discovery document
    // (https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration).
    cloudInstanceName: 'microsoftonline.com',
    msGraphHost: 'graph.microsoft.com',
  },
  {
    name: 'usgov',
    // MSAL endpointMetadata["login.microsoftonline.us"]; alias login.usgovcloudapi.net.
    authorityHost: origin('login.microsoftonline.us'),
    aliases: [origin('login.usgovcloudapi.net')],
    v2IssuerHost: origin('login.microsoftonline.us'),
    // Azure/Azurite src/blob/utils/constants.ts (Microsoft): "Fairfax: https://sts.windows.net/".
    v1IssuerHost: origin('sts.windows.net'),
    keySetHost: origin('login.microsoftonline.us'),
    // Entra's own name for this cloud: captured 2025 key sets (public repositories) list keys
    // whose cloud_instance_name is "microsoftonline.us" (certificate CN login.microsoftonline.us).
    cloudInstanceName: 'microsoftonline.us',
    // https://learn.microsoft.com/graph/deployments: Microsoft Graph for US Government L4.
    msGraphHost: 'graph.microsoft.us',
  },
  {
    name: 'china',
    // MSAL (2024) endpointMetadata["login.chinacloudapi.cn"]: token/jwks on login.chinacloudapi.cn,
    // issuer https://login.partner.microsoftonline.cn/{tenantid}/v2.0. Newer MSAL keys the same
    // cloud by login.partner.microsoftonline.cn; instance discovery lists both as aliases.
    authorityHost: origin('login.chinacloudapi.cn'),
    aliases: [origin('login.partner.microsoftonline.cn')],
    v2IssuerHost: origin('login.partner.microsoftonline.cn'),
    // Azure/Azurite src/blob/utils/constants.ts (Microsoft): "Mooncake: https://sts.chinacloudapi.cn/".
    v1IssuerHost: origin('sts.chinacloudapi.cn'),
    keySetHost: origin('login.chinacloudapi.cn'),
    // Not stated by MSAL: the fake's first release used "partner.microsoftonline.cn", the
    // preferred_network host of MSAL's instance discovery without "login.". Unverified.
    cloudInstanceName: 'partner.microsoftonline.cn',
    // https://learn.microsoft.com/graph/deployments: Microsoft Graph operated by 21Vianet.
    msGraphHost: 'microsoftgraph.chinacloudapi.cn',
  },
  // The sovereign clouds MSAL 16 lists (endpointHosts; issuer host = host), each its own alias.
  ...(
    [
      ['france', 'login.sovcloud-identity.fr'],
      ['germany', 'login.sovcloud-identity.de'],
      ['singapore', 'login.sovcloud-identity.sg'],
    ] as const
  ).map(
    ([name, host]): KnownCloud => ({
      name,
      authorityHost: origin(host),
      aliases: [],
      v2IssuerHost: origin(host),
      v1IssuerHost: undefined,
      keySetHost: origin(host),
      cloudInstanceName: undefined,
      msGraphHost: undefined,
    }),
  ),
];

/** The known cloud an origin belongs to (authority host or alias), if any. */
export function findKnownCloud(originOrName: string): KnownCloud | undefined {
  return knownClouds.find((c) => c.name === originOrName || c.authorityHost === originOrName || c.aliases.includes(originOrName));
}
