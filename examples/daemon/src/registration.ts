import type { ExampleRegistration } from '@entra-verify/example-support';

/** The Reports API and its callers, as registered in a tenant. */
export const reportsRegistration: ExampleRegistration = {
  api: { scopes: ['Reports.Read'], appRoles: ['Reports.Read.All', 'Reports.Rebuild'] },
  clientApps: [
    { displayName: 'Nightly report daemon', appPermissions: ['Reports.Read.All'] },
    { displayName: 'Maintenance daemon', appPermissions: ['Reports.Read.All', 'Reports.Rebuild'] },
    { displayName: 'Daemon nobody granted anything' },
  ],
};
