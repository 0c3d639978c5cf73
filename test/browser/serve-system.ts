/**
 * `npx tsx test/browser/serve-system.ts`: start the isolated system the browser tests use
 * and keep it running, printing its URLs — handy for looking at the dashboard by hand.
 */
import { startSystem } from '../support/system';

const system = await startSystem({ timeoutMs: 300_000 });
console.log(`api ${system.apiUrl}\nrouter ${system.routerUrl}`);
const stop = async () => {
  await system.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
