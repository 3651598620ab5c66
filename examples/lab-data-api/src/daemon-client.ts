// `npm run client:daemon`: a client-credentials call to the Lab API against a real tenant.
import { acquireDaemonToken } from './clients.js';

const { TENANT_ID, DAEMON_CLIENT_ID, DAEMON_CLIENT_SECRET, API_CLIENT_ID, API_URL = 'http://localhost:3000' } = process.env;
if (!TENANT_ID || !DAEMON_CLIENT_ID || !DAEMON_CLIENT_SECRET || !API_CLIENT_ID) {
  console.error('Set TENANT_ID, DAEMON_CLIENT_ID, DAEMON_CLIENT_SECRET and API_CLIENT_ID; see .env.example. Without a tenant, run `npm run demo`.');
  process.exit(2);
}
const token = await acquireDaemonToken({
  clientId: DAEMON_CLIENT_ID,
  clientSecret: DAEMON_CLIENT_SECRET,
  authority: `https://login.microsoftonline.com/${TENANT_ID}`,
  scope: `api://${API_CLIENT_ID}/.default`,
});
const response = await fetch(`${API_URL}/data`, { headers: { authorization: `Bearer ${token}` } });
console.log(response.status, response.headers.get('www-authenticate') ?? '', await response.text());
