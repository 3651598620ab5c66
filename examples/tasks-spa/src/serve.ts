// `npm run demo:spa`: the tasks SPA against the fake Entra ID, in your own browser. Prints the URL
// and the users you can pick on the fake's sign-in page; Ctrl+C stops it.
import { startTasksSpaEnvironment } from './environment.js';

let closeFake: () => Promise<void> = async () => {};
const environment = await startTasksSpaEnvironment({
  spaPort: Number(process.env.PORT ?? 3000),
  // Your browser is not routed by Playwright: the fake listens on loopback, and the page sends the
  // production authority's requests there (app/loopback-authority.ts).
  authorityRewrite: async (entra) => {
    const server = await entra.listen();
    closeFake = server.close;
    return { from: entra.cloud.authorityHost, to: server.url };
  },
});
const { entra, spa, api } = environment;
console.log('Tasks SPA against a fake Entra ID, all on this machine');
console.log(`  open      ${spa.url}/  in your browser`);
console.log(`  tasks API ${api.url}  (Koa + @entra-verify/koa, needs Tasks.ReadWrite)`);
console.log('  sign in as one of:');
for (const user of entra.users) console.log(`    ${user.name.padEnd(14)} ${user.username}`);
console.log('Each user sees only their own tasks. Ctrl+C stops the demo.');
process.once('SIGINT', () => void environment.close().then(closeFake).then(() => process.exit(0)));
