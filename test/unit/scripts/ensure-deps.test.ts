import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../../scripts/ensure-deps.sh');
// A PATH with the few programs the script uses, and neither sudo nor any of the packages it installs.
const bin = mkdtempSync(join(tmpdir(), 'firebreak-path-'));
chmodSync(bin, 0o755); // readable by `nobody`
for (const tool of ['dirname', 'id', 'cat']) {
  const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(found, join(bin, tool));
}
afterAll(() => rmSync(bin, { recursive: true, force: true }));

it('tells a user without root or sudo exactly what to install or run instead of failing with 127', () => {
  // As `nobody` when the tests run as root; as the user running them otherwise.
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const result = spawnSync('/bin/bash', [SCRIPT], {
    env: { PATH: bin, HOME: tmpdir() },
    encoding: 'utf8',
    ...asNobody,
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('missing Debian packages: redis-server prometheus');
  expect(result.stderr).toContain('sudo is not installed');
  expect(result.stderr).toMatch(
    /apt-get update && apt-get install -y --no-install-recommends redis-server .*procps redis-tools redis-sentinel\n/,
  );
  // The packages with the libraries a minimal Debian 12 may lack, each once (tried as nobody here).
  expect(result.stderr).toContain(
    'apt-get download redis-server redis-tools prometheus prometheus-alertmanager lsof libtirpc3 libtirpc-common iproute2 procps libproc2-0 redis-sentinel\n',
  );
  expect(result.stderr).toContain('dpkg-deb -x');
  expect(result.stderr).not.toContain('command not found');
});
