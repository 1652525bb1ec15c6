// Run by stop.test.ts in its own process: exits by itself only if stop() leaves no handle behind.
import { createSandbox } from '../../../src/sandbox/sandbox.js';

const sandbox = createSandbox({
  adminToken: 'child-token',
  mode: 'spike',
  spikeLatencyMs: 5000,
  tickMs: 10,
  ports: { project: 0, generation: 0, frontend: 0, chroma: 0, prometheus: 0, upstream: 0 },
});
const urls = await sandbox.start();
const parked = fetch(`${urls.generation}/api/generation/health`).catch(() => undefined);
await fetch(`${urls.prometheus}/api/v1/query?query=up`).then((res) => res.text());
await fetch(`${urls.generation}/api/admin/graceful-restart`, {
  method: 'POST',
  headers: { authorization: 'Bearer child-token' },
}).then((res) => res.text());
await sandbox.stop();
await parked;
process.stdout.write('stopped\n');
