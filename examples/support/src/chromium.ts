// Where the browser tests find Chromium: CHROMIUM_PATH, else Debian's package (`apt-get install -y
// chromium`, which .ci/run does). Playwright's own browser download is never used.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/** Launch flags for a container run as root, where Chromium's sandbox cannot start. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage'];
