// The app registrations the fake Entra ID plays, mirroring what you would create in a tenant.
import type { ExampleRegistration } from '@entra-verify/example-support';

export const labRegistration: ExampleRegistration = {
  api: { scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All'] },
  clientApps: [
    { displayName: 'Lab daemon', appPermissions: ['Data.Read.All'] },
    { displayName: 'Lab CLI (public client)', clientSecret: null },
    { displayName: 'Daemon without permissions' },
  ],
};
