// Which delegated permissions each user granted to each client app. By default every permission
// counts as granted (as after an administrator's consent for the tenant); with `consent: 'prompt'`
// users start with none and grant them on the fake's consent page, as with user consent in Entra
// ("If the user hasn't consented to any of those permissions, it asks the user to consent",
// v2-oauth2-auth-code-flow).

/** One delegated permission: a scope of an API, by the API's appId. */
export interface DelegatedPermission {
  apiAppId: string;
  scope: string;
}

const key = (p: DelegatedPermission) => `${p.apiAppId} ${p.scope}`;

export class ConsentStore {
  private readonly byUserAndClient = new Map<string, Set<string>>();

  constructor(private readonly mode: 'granted' | 'prompt') {}

  /** The permissions the user has not granted the client yet. */
  missing(userId: string, clientId: string, wanted: DelegatedPermission[]): DelegatedPermission[] {
    if (this.mode === 'granted') return [];
    const granted = new Set([...(this.byUserAndClient.get(`${userId} ${clientId}`) ?? []), ...(this.byUserAndClient.get(`* ${clientId}`) ?? [])]);
    return wanted.filter((p) => !granted.has(key(p)));
  }

  /** Record a grant; `userId` `'*'` is an administrator's consent for every user. */
  grant(userId: string, clientId: string, permissions: DelegatedPermission[]): void {
    const id = `${userId} ${clientId}`;
    const set = this.byUserAndClient.get(id) ?? new Set<string>();
    for (const p of permissions) set.add(key(p));
    this.byUserAndClient.set(id, set);
  }
}
