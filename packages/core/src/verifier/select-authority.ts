// With several authorities, the token's unsigned `iss` picks the one whose rules and keys apply.
// Selection is a Map lookup: first the exact issuer (a tenant's own, a B2C user flow's, an External
// ID tenant's), then the issuer with its tenant segment written as `{tenantid}` (multi-tenant
// authorities): one string built per token, no regular expression, linear in the issuer's length.
// Nothing is trusted here: the chosen authority's rules then check the signed claims, its issuer
// rule included, against its own key set only.
import { closestAuthority, type KnownIssuer } from './authority-issuers.js';
import { authError, type EntraAuthError } from '../errors.js';
import type { DiscoveredMetadata, DiscoveryCache } from '../keys/discovery.js';
import { shown } from '../printable.js';
import { issuerTemplate, TENANT_TEMPLATE } from '../token/issuer.js';

/** What selection needs from an authority. */
export interface SelectableAuthority {
  /** Its name, for hints. */
  readonly name: string;
  /** Issuers known without fetching anything; `primary` ones are those its token version accepts. */
  readonly issuers: { primary: readonly KnownIssuer[]; secondary: readonly KnownIssuer[] };
  /** Discovery mode: its metadata names the issuer. */
  readonly discovery: DiscoveryCache | undefined;
}

/** Two authorities whose metadata name the same issuer: no token of that issuer can be placed. */
interface Ambiguous {
  readonly ambiguous: readonly string[];
}

/** Picks the authority for a token's unsigned issuer. */
export class AuthoritySelector<A extends SelectableAuthority> {
  private readonly exact = new Map<string, A | Ambiguous>();
  private readonly templates = new Map<string, A | Ambiguous>();
  /** Discovery authorities and the metadata whose issuer is registered for each. */
  private readonly discovered: Array<{ authority: A; metadata: DiscoveredMetadata | undefined; key: string | undefined }>;

  constructor(private readonly authorities: readonly A[]) {
    for (const pass of ['primary', 'secondary'] as const) {
      for (const authority of authorities) {
        for (const issuer of authority.issuers[pass]) {
          const map = issuer.template ? this.templates : this.exact;
          const taken = map.get(issuer.value);
          if (taken === undefined) map.set(issuer.value, authority);
          else if (pass === 'primary' && taken !== authority) {
            throw new TypeError(`entra-verify: authorities "${(taken as A).name}" and "${authority.name}" both accept issuer ${issuer.value}, so a token could not say which one applies. Merge them into one authority (audience accepts several values), or set tokenVersion on one of them`);
          }
        }
      }
    }
    this.discovered = authorities.filter((a) => a.discovery !== undefined).map((authority) => ({ authority, metadata: undefined, key: undefined }));
  }

  /** The authority for `iss`; a promise only while the metadata of a discovery authority is loading. */
  select(iss: string | undefined): A | Promise<A> {
    if (iss === undefined) throw authError('missing_claim', 'The token has no issuer.', `The token has no "iss" string, so none of the authorities (${this.names()}) can be chosen; Entra always sets it.`);
    this.syncDiscovered();
    const found = this.lookup(iss);
    if (found) return found;
    const loading = this.discovered.filter((entry) => entry.metadata === undefined);
    if (loading.length === 0) throw this.noMatch(iss);
    return Promise.allSettled(loading.map((entry) => entry.authority.discovery!.get())).then((outcomes) => {
      this.syncDiscovered();
      const late = this.lookup(iss);
      if (late) return late;
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as EntraAuthError] : []));
      // The token may belong to the authority whose metadata could not load: say so (503), not 401.
      if (failures.length > 0) throw failures[0];
      throw this.noMatch(iss);
    });
  }

  private lookup(iss: string): A | undefined {
    let found = this.exact.get(iss);
    if (found === undefined) {
      const template = issuerTemplate(iss);
      if (template !== undefined) found = this.templates.get(template);
    }
    if (found !== undefined && 'ambiguous' in found) {
      throw authError('issuer_mismatch', 'The token issuer is not accepted.', `Issuer ${shown(iss, 200)} is named by the metadata of authorities ${found.ambiguous.map((n) => `"${n}"`).join(' and ')}, so the token cannot be placed. Merge them into one authority (audience accepts several values).`);
    }
    return found;
  }

  /** Register the issuer of metadata that loaded or changed since the last call: one identity check per discovery authority. */
  private syncDiscovered(): void {
    for (const entry of this.discovered) {
      const metadata = entry.authority.discovery!.peek();
      if (metadata === entry.metadata || metadata === undefined) continue;
      const template = metadata.issuer.includes(TENANT_TEMPLATE);
      const map = template ? this.templates : this.exact;
      if (entry.key !== undefined) {
        const mapOfOld = entry.key.includes(TENANT_TEMPLATE) ? this.templates : this.exact;
        if (mapOfOld.get(entry.key) === entry.authority) mapOfOld.delete(entry.key);
      }
      entry.metadata = metadata;
      entry.key = template ? (issuerTemplate(metadata.issuer) === metadata.issuer ? metadata.issuer : undefined) : metadata.issuer;
      if (entry.key === undefined) continue;
      const taken = map.get(entry.key);
      if (taken === undefined || taken === entry.authority) map.set(entry.key, entry.authority);
      else map.set(entry.key, { ambiguous: [...('ambiguous' in taken ? taken.ambiguous : [taken.name]), entry.authority.name] });
    }
  }

  private names(): string {
    return this.authorities.map((a) => `"${a.name}"`).join(', ');
  }

  /** issuer_mismatch, listing every authority's issuers and the closest one. */
  private noMatch(iss: string): EntraAuthError {
    const listing = this.authorities.map((authority) => {
      const entry = this.discovered.find((d) => d.authority === authority);
      const issuers = entry ? (entry.metadata ? [entry.metadata.issuer] : []) : authority.issuers.primary.map((i) => i.value);
      return { authority, issuers, text: `"${authority.name}" (${issuers.length ? issuers.join(' or ') : `metadata of ${entry?.authority.discovery?.url} not loaded yet`})` };
    });
    const closest = closestAuthority(iss, listing);
    return authError(
      'issuer_mismatch',
      'The token issuer is not accepted.',
      `Issuer ${shown(iss, 200)} matches none of this API's authorities: ${listing.map((l) => l.text).join('; ')}.${closest ? ` The closest is ${closest}.` : ''} Add an authority for this issuer if its tokens should be accepted.`,
    );
  }
}
