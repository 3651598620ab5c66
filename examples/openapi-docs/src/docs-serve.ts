// `npm run docs:serve`: Swagger UI against the fake Entra ID, in your own browser. Prints the URL
// and the users you can pick on the fake's sign-in page; Ctrl+C stops it.
import { startDocsEnvironment } from './docs-environment.js';

// Your browser is not routed by Playwright: Swagger UI signs in at the fake's loopback server.
const environment = await startDocsEnvironment({ port: Number(process.env.PORT ?? 3005), authority: 'loopback' });
const { entra } = environment;
console.log('Entries API (Fastify) with Swagger UI, against a fake Entra ID on this machine');
console.log(`  open ${environment.docsUrl} in your browser, click Authorize (authorizationCode), pick scopes`);
console.log('  sign in as one of:');
for (const user of entra.users) console.log(`    ${user.name.padEnd(14)} ${user.username}`);
console.log('Then "Try it out": GET /api/entries needs Data.Read, POST /api/entries Data.Write. Ctrl+C stops it.');
process.once('SIGINT', () => void environment.close().then(() => process.exit(0)));
