import { interpolateForDisplay, type Variables } from '../runbooks/interpolate.js';
import type { Step } from '../runbooks/runbook-schema.js';

/** systemctl verbs that act on the units named after them. */
const UNIT_VERBS = new Set([
  'restart',
  'start',
  'stop',
  'reload',
  'try-restart',
  'reload-or-restart',
  'kill',
]);

/** Target names are lowercase and safe in a Redis key: `localhost:8002`, `ai-script-generation-service`. */
function clean(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._:/-]+/g, '-');
}

function urlTarget(template: string, vars: Variables): string {
  const shown = interpolateForDisplay(template, vars);
  const url = URL.parse(shown);
  return clean(url?.host || shown);
}

/**
 * What a step changes, when its runbook action declares no `target:`: the host:port an admin call
 * or a Redis command goes to, the units `systemctl restart` names, the service manager's environment
 * for `set-environment`, otherwise the program. Waits and manual steps change nothing of their own.
 * Credentials never appear: URLs are resolved for display only (`${VAR}` secrets stay unresolved,
 * and only the host is kept).
 */
export function stepTargets(step: Step, vars: Variables): string[] {
  switch (step.type) {
    case 'http':
    case 'redis':
      return [urlTarget(step.url, vars)];
    case 'process': {
      const [program = '', verb = '', ...rest] = step.command.map((arg) => interpolateForDisplay(arg, vars));
      const base = program.slice(program.lastIndexOf('/') + 1);
      if (base === 'systemctl' && UNIT_VERBS.has(verb)) {
        const units = rest.filter((arg) => !arg.startsWith('-'));
        if (units.length > 0) return units.map(clean);
      }
      if (base === 'systemctl' && /^(un)?set-environment$/.test(verb)) return ['systemd-environment'];
      return [clean(base)];
    }
    case 'wait':
    case 'manual':
      return [];
    case 'sequence':
      return [...new Set(step.steps.flatMap((child) => stepTargets(child, vars)))];
  }
}
