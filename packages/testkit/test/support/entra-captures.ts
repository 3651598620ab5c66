// Facts copied from Microsoft's served documents, as captured by public projects (the fake is held
// to them; tests never fetch). Each constant names its capture.

/** Members of https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration, in served order.
 *  Capture: panva/wellknown issuers/entra-common/entra-common.mjs @ f22c6d6bdadd (2024-10-01). */
export const COMMON_V2_DISCOVERY_MEMBERS = ["token_endpoint", "token_endpoint_auth_methods_supported", "jwks_uri", "response_modes_supported", "subject_types_supported", "id_token_signing_alg_values_supported", "response_types_supported", "scopes_supported", "issuer", "request_uri_parameter_supported", "userinfo_endpoint", "authorization_endpoint", "device_authorization_endpoint", "http_logout_supported", "frontchannel_logout_supported", "end_session_endpoint", "claims_supported", "kerberos_endpoint", "tenant_region_scope", "cloud_instance_name", "cloud_graph_host_name", "msgraph_host", "rbac_url"];

/** Members of https://login.microsoftonline.com/common/.well-known/openid-configuration (v1), in served order.
 *  Capture: AzureAD/MSIdentityTools tests/Get-MsIdOpenIdProviderConfiguration.tests.ps1 @ f4bb6aeff854. */
export const COMMON_V1_DISCOVERY_MEMBERS = ["token_endpoint", "token_endpoint_auth_methods_supported", "jwks_uri", "response_modes_supported", "subject_types_supported", "id_token_signing_alg_values_supported", "response_types_supported", "scopes_supported", "issuer", "microsoft_multi_refresh_token", "authorization_endpoint", "device_authorization_endpoint", "http_logout_supported", "frontchannel_logout_supported", "end_session_endpoint", "claims_supported", "check_session_iframe", "userinfo_endpoint", "kerberos_endpoint", "tenant_region_scope", "cloud_instance_name", "cloud_graph_host_name", "msgraph_host", "rbac_url"];

/** `issuer` of each key at https://login.microsoftonline.com/common/discovery/v2.0/keys on 2024-10-01.
 *  Capture: panva/wellknown issuers/entra-common/entra-common.mjs @ f22c6d6bdadd. */
export const COMMON_V2_KEY_ISSUERS = ["https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"];

/** `issuer` of each key at https://login.microsoftonline.com/organizations/discovery/v2.0/keys, same day.
 *  Capture: panva/wellknown issuers/entra-organizations/entra-organizations.mjs @ 11daf1bc937d. */
export const ORGANIZATIONS_V2_KEY_ISSUERS = ["https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.microsoftonline.com/{tenantid}/v2.0"];

/** Members of one key there. */
export const COMMON_V2_KEY_MEMBERS = ["e", "issuer", "kid", "kty", "n", "use", "x5c", "x5t"];
