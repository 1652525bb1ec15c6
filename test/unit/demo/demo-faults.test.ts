import { describe, expect, it } from 'vitest';
import { DEMO_FAULTS, parseDemoArgs } from '../../../src/demo/demo-faults.js';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import { SANDBOX_MODES } from '../../../src/sandbox/sandbox.js';

describe('npm run demo arguments', () => {
  it('plays the spike without arguments and a fault with --fault <name> or --fault=<name>', () => {
    expect(parseDemoArgs([])).toEqual({});
    expect(parseDemoArgs(['--fault', 'db'])).toEqual({ fault: 'db' });
    expect(parseDemoArgs(['--fault=network'])).toEqual({ fault: 'network' });
  });

  it.each([
    [['--fault']],
    [['--fault', 'disk']],
    [['db']],
    [['--fault', 'db', 'extra']],
    [['--fault', 'toString']],
  ])('refuses %j with the usage', (argv) => {
    expect(() => parseDemoArgs(argv)).toThrow(
      /usage: npm run demo \[-- --fault <resource\|db\|external\|network>\]/,
    );
  });

  it('maps every fault to a sandbox mode and to a scenario of the 503 runbook with a card of its own', async () => {
    const runbook = (await loadRunbooks('commands')).get('503');
    for (const fault of Object.values(DEMO_FAULTS)) {
      expect(SANDBOX_MODES).toContain(fault.mode);
      expect(runbook?.groups.some((g) => g.scenario === fault.scenario)).toBe(true);
    }
  });
});
