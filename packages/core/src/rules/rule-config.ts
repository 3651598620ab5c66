// The verifier's configuration as the rules read it: options checked and normalized once, at
// creation (verifier/resolve-options.ts builds it).
import type { CloudEndpoints } from '../clouds.js';
import type { EventSink } from '../events.js';
import type { FetchLike, JwksOptions } from '../options.js';
import type { ResolvedDecryptionKey } from '../keys/decryption-keys.js';
import type { CallerKinds, GuestPolicy } from './callers.js';
import type { AuthCheck } from './custom-check.js';
import type { RequiredClaim } from './required-claims.js';

/** Whose tokens the tenant rule accepts: one tenant, or a multi-tenant segment with its policy. */
export type TenantRule =
  | { kind: 'single'; tenantId: string }
  | { kind: 'multi'; segment: 'common' | 'organizations'; anyTenant: boolean; allowList: ReadonlySet<string> | undefined; callback: ((tenantId: string) => boolean | Promise<boolean>) | undefined };

/** Every option, checked and with its default applied. */
export interface ResolvedOptions {
  /** The authority's name, with several authorities. */
  name: string | undefined;
  tenant: TenantRule;
  audiences: readonly string[];
  tokenVersion: 1 | 2 | 'any';
  cloud: CloudEndpoints;
  authority: string | undefined;
  appId: string | undefined;
  allowedClientApps: ReadonlySet<string> | undefined;
  clockToleranceSeconds: number;
  requireScopeOrRole: boolean;
  maxTokenBytes: number;
  algorithms: ReadonlySet<string>;
  decryptionKeys: readonly ResolvedDecryptionKey[] | undefined;
  jwks: Required<JwksOptions>;
  resultCache: false | { maxEntries?: number; maxBytes?: number };
  /** Signature checks on the thread pool when requests overlap (Node only). */
  offload: 'off' | 'auto';
  fetch: FetchLike;
  now: () => number;
  emit: EventSink;
  /** True when someone listens (onEvent or a logger): refusal events are worth building. */
  observed: boolean;
  requiredClaims: readonly RequiredClaim[] | undefined;
  callers: CallerKinds;
  guests: GuestPolicy;
  check: AuthCheck | undefined;
}
