// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';

const commandProbe = (check: object, timeout = '5s') =>
  probeSchema.parse({
    id: 'sqlite-locks',
    title: 'SQLite locks',
    step: 3,
    timeout,
    check: { type: 'command', ...check },
  });
const node = process.execPath;
const allowed = new Set([node, 'printf', 'lsof', 'firebreak-no-such-program']);

describe('command probe', () => {
  it('refuses a program that is not allow-listed, naming the fix', async () => {
    const result = await runProbe(commandProbe({ command: ['lsof'] }), {
      vars: {},
      allowedPrograms: new Set(['ps']),
    });
    expect(result).toMatchObject({
      verdict: 'unknown',
      detail: 'lsof is not allowed on this host: add it to EXECUTOR_ALLOWED_PROGRAMS',
    });
    // Without an allow-list nothing runs.
    expect((await runProbe(commandProbe({ command: ['printf', 'x'] }), { vars: {} })).verdict).toBe(
      'unknown',
    );
  });

  it("never hands the bot's credentials to the program: only the few variables programs need", async () => {
    // The bot's own environment holds its tokens; a probe's program must see none of them.
    process.env.FIREBREAK_TEST_BOT_TOKEN = 'xoxb-inherited-secret';
    try {
      const printNames = "for (const n of Object.keys(process.env)) console.log(n + '=' + process.env[n])";
      const vars = { PATH: process.env.PATH, ADMIN_TOKEN: 'admin-secret-value', OPENAI_API_KEY: 'sk-secret' };
      const probe = (filter?: string) =>
        runProbe(commandProbe({ command: [node, '-e', printNames], ...(filter ? { filter } : {}) }), {
          vars,
          allowedPrograms: allowed,
        });
      expect((await probe('^PATH=')).value).toBe(1);
      expect((await probe('secret|TOKEN|KEY')).value).toBe(0);
    } finally {
      delete process.env.FIREBREAK_TEST_BOT_TOKEN;
    }
  });

  it('reports a program that is not installed', async () => {
    const result = await runProbe(commandProbe({ command: ['firebreak-no-such-program'] }), {
      vars: {},
      allowedPrograms: allowed,
    });
    expect(result).toMatchObject({
      verdict: 'unknown',
      detail: 'firebreak-no-such-program is not installed',
    });
  });

  it('counts non-empty lines, after the filter, and judges them', async () => {
    const output = 'python 12 /srv/app/data.db\n\npython 12 /srv/app/data.db-wal\nnode 7 /srv/app/jobs.db\n';
    const lines = await runProbe(
      { ...commandProbe({ command: ['printf', '${OUT}'] }), threshold: { op: '>=', critical: 3 } },
      { vars: { OUT: output }, allowedPrograms: allowed },
    );
    expect(lines).toMatchObject({ verdict: 'critical', value: 3, detail: '3 lines' });
    const filtered = await runProbe(commandProbe({ command: ['printf', output], filter: '\\.db$' }), {
      vars: {},
      allowedPrograms: allowed,
    });
    expect(filtered).toMatchObject({ verdict: 'ok', value: 2, detail: '2 lines matching /\\.db$/' });
  });

  it('takes the first capture group of a regex, and still measures after a non-zero exit', async () => {
    const result = await runProbe(
      commandProbe({
        command: [node, '-e', 'console.log("TCP: 812 (estab 640, closed 12)"); process.exit(1)'],
        measure: { regex: 'estab (\\d+)' },
      }),
      { vars: {}, allowedPrograms: allowed },
    );
    expect(result).toMatchObject({ verdict: 'ok', value: 640 });
    expect(result.detail).toMatch(/: 640 \(exit 1\)$/);
    const noMatch = await runProbe(
      commandProbe({ command: ['printf', 'nothing'], measure: { regex: '(\\d+)' } }),
      {
        vars: {},
        allowedPrograms: allowed,
      },
    );
    expect(noMatch).toMatchObject({
      verdict: 'unknown',
      detail: 'no number matched /(\\d+)/ in the output of printf',
    });
  });

  it('kills a program that outlives the timeout', async () => {
    const started = Date.now();
    const result = await runProbe(
      commandProbe({ command: [node, '-e', 'setTimeout(() => {}, 60000)'] }, '300ms'),
      {
        vars: {},
        allowedPrograms: allowed,
      },
    );
    expect(result).toMatchObject({ verdict: 'unknown', detail: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('turns an unset variable into unknown instead of throwing', async () => {
    const result = await runProbe(commandProbe({ command: ['lsof', '${DB_PATH}'] }), {
      vars: {},
      allowedPrograms: allowed,
    });
    expect(result.verdict).toBe('unknown');
    expect(result.detail).toMatch(/environment variable DB_PATH is not set/);
  });

  it('gives ss the host probe’s procfs as PROC_ROOT, so `ss -s` counts that host’s sockets', async () => {
    const root = mkdtempSync(join(tmpdir(), 'firebreak-proc-'));
    try {
      mkdirSync(join(root, 'net'));
      // proc(5) excerpts: what `ss -s` reads for its summary (the "TCP:" total is alloc + tw).
      writeFileSync(
        join(root, 'net/sockstat'),
        'sockets: used 6150\nTCP: inuse 6003 orphan 0 tw 12 alloc 6005 mem 1501\nUDP: inuse 1 mem 2\n' +
          'UDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n',
      );
      writeFileSync(
        join(root, 'net/sockstat6'),
        'TCP6: inuse 2\nUDP6: inuse 0\nUDPLITE6: inuse 0\nRAW6: inuse 0\n',
      );
      writeFileSync(
        join(root, 'net/snmp'),
        'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab\n' +
          'Tcp: 1 200 120000 -1 100 100 0 0 6000\n',
      );
      const probe = commandProbe({ command: ['ss', '-s'], measure: { regex: 'TCP:\\s+(\\d+)' } });
      const result = await runProbe(probe, { vars: {}, allowedPrograms: new Set(['ss']), procRoot: root });
      expect(result).toMatchObject({ verdict: 'ok', value: 6017, detail: 'ss: 6017' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
