import { FirebreakError } from '../errors.js';

const USAGE = 'usage: npm run worker -- [--role <role>[,<role>…]]… [--name <worker name>]';

/**
 * `npm run worker -- --role generation --role project --name gen-1`, as the variables `readConfig`
 * reads (WORKER_ROLES, WORKER_NAME): the command line wins over the environment. Throws
 * `config_invalid` with the usage for anything else, so a typo never starts a worker of no role.
 */
export function workerArgs(argv: readonly string[]): { WORKER_ROLES?: string; WORKER_NAME?: string } {
  const roles: string[] = [];
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag !== '--role' && flag !== '--name') {
      throw new FirebreakError('config_invalid', `unknown argument "${arg}"\n${USAGE}`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new FirebreakError('config_invalid', `${flag} needs a value\n${USAGE}`);
    }
    if (flag === '--role') roles.push(...value.split(',').filter(Boolean));
    else name = value;
  }
  return {
    ...(roles.length > 0 ? { WORKER_ROLES: roles.join(',') } : {}),
    ...(name === undefined ? {} : { WORKER_NAME: name }),
  };
}
