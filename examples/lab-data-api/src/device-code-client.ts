// `npm run client:device-code`: sign in with the device code flow against a real tenant and call
// the Lab API. (For a run without a tenant, `npm run demo` does this against the fake.)
import { acquireDeviceCodeToken } from './clients.js';

const { TENANT_ID, CLIENT_ID, API_SCOPE, API_URL = 'http://localhost:3000' } = process.env;
if (!TENANT_ID || !CLIENT_ID || !API_SCOPE) {
  console.error('Set TENANT_ID, CLIENT_ID (a public client) and API_SCOPE (api://<api-client-id>/Data.Read); see .env.example. Without a tenant, run `npm run demo`.');
  process.exit(2);
}
const token = await acquireDeviceCodeToken({ clientId: CLIENT_ID, authority: `https://login.microsoftonline.com/${TENANT_ID}`, scopes: [API_SCOPE], onPrompt: console.log });
const response = await fetch(`${API_URL}/data`, { headers: { authorization: `Bearer ${token}` } });
console.log(response.status, response.headers.get('www-authenticate') ?? '', await response.text());
