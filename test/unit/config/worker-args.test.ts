import { describe, expect, it } from 'vitest';
import { workerArgs } from '../../../src/config/worker-args.js';
import { isFirebreakError } from '../../../src/errors.js';

describe('npm run worker -- --role …', () => {
  it('turns roles and a name into the variables readConfig reads', () => {
    expect(workerArgs([])).toEqual({});
    expect(workerArgs(['--role', 'generation'])).toEqual({ WORKER_ROLES: 'generation' });
    expect(workerArgs(['--role', 'generation,project', '--role=nginx', '--name', 'gen-1'])).toEqual({
      WORKER_ROLES: 'generation,project,nginx',
      WORKER_NAME: 'gen-1',
    });
  });

  it('refuses anything else with the usage, so a typo never starts a worker of no role', () => {
    for (const argv of [['--roles', 'generation'], ['generation'], ['--role'], ['--role', '--name', 'x']]) {
      let error: unknown;
      try {
        workerArgs(argv);
      } catch (err) {
        error = err;
      }
      expect(isFirebreakError(error, 'config_invalid')).toBe(true);
      expect((error as Error).message).toMatch(/\nusage: npm run worker -- \[--role <role>/);
    }
  });
});
