import type { Condition, ProbeCheck, SimpleStep, Step, Threshold } from './runbook-schema.js';

/**
 * Plain-text pieces of a runbook for people (`firebreak show`, docs). Everything is printed as
 * written: `${ADMIN_TOKEN}` stays a name, because nothing here reads the environment.
 */

/** Arguments a shell would read as one word without quotes. */
const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/** argv as a person would type it: `find /var/log -name '*.log' … gzip '{}' ';'`. */
export function argvText(argv: readonly string[]): string {
  return argv.map((arg) => (SAFE_WORD.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** `warn >= 1000 ms, critical >= 2000 ms`, or `< 1 models` without a warning level. */
export function thresholdText(threshold: Threshold): string {
  const level = (value: number) => `${threshold.op} ${value}${threshold.unit ? ` ${threshold.unit}` : ''}`;
  const critical = `critical ${level(threshold.critical)}`;
  return threshold.warn === undefined ? critical : `warn ${level(threshold.warn)}, ${critical}`;
}

/** `host-cpu > 80 or host-memory > 85`; nested groups get parentheses. */
export function conditionText(condition: Condition): string {
  const nested = (inner: Condition) =>
    'all' in inner || 'any' in inner ? `(${conditionText(inner)})` : conditionText(inner);
  if ('all' in condition) return condition.all.map(nested).join(' and ');
  if ('any' in condition) return condition.any.map(nested).join(' or ');
  if ('verdict' in condition) return `${condition.probe} is ${condition.verdict.join(' or ')}`;
  const name = condition.field ? `${condition.probe}.${condition.field}` : condition.probe;
  return `${name} ${condition.op} ${condition.value}`;
}

function headerLines(headers: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(headers ?? {}).map(([name, value]) => `${name}: ${value}`);
}

/** What a probe measures, in one line: `GET ${CHROMA_URL:-…}/api/v1/heartbeat (latency)`. */
export function checkText(check: ProbeCheck): string {
  switch (check.type) {
    case 'http': {
      const headers = headerLines(check.headers)
        .map((h) => ` [${h}]`)
        .join('');
      if (check.measure === 'latency') return `${check.method} ${check.url}${headers} (latency)`;
      const map = check.valueMap
        ? ` mapped ${Object.entries(check.valueMap)
            .map(([word, n]) => `${word}=${n}`)
            .join(', ')}`
        : '';
      return `${check.method} ${check.url}${headers} → json ${check.jsonPath ?? '(body)'}${map}`;
    }
    case 'prometheus':
      return `PromQL ${check.query} at ${check.url}`;
    case 'redis': {
      if (check.measure === 'ping') return `redis ${check.url}: PING (round trip)`;
      const of = check.percentOf ? ` as % of ${check.percentOf}` : '';
      return `redis ${check.url}: INFO ${check.measure}${of}`;
    }
    case 'host':
      return `host ${check.metric}`;
    case 'command': {
      const filter = check.filter ? ` matching /${check.filter}/` : '';
      const measure =
        check.measure === 'lines' ? `count lines${filter}` : `first /${check.measure.regex}/${filter}`;
      return `$ ${argvText(check.command)} → ${measure}`;
    }
    case 'logs': {
      const patterns = check.patterns ? `${check.patterns.length} patterns` : 'the trigger log patterns';
      return `log ${check.file}: ${patterns} in the last ${check.tailLines} lines`;
    }
    case 'loadtest':
      return `load test ${check.url}: ${check.requests} requests, ${check.concurrency} at a time`;
  }
}

function simpleStepLines(step: SimpleStep): string[] {
  switch (step.type) {
    case 'http': {
      const details = headerLines(step.headers);
      if (step.body !== undefined) details.push(`body ${JSON.stringify(step.body)}`);
      return [`${step.method} ${step.url}`, ...details.map((line) => `  ${line}`)];
    }
    case 'redis':
      return [`redis ${step.url}${step.db === undefined ? '' : ` db ${step.db}`}: ${argvText(step.command)}`];
    case 'process':
      return [`$ ${argvText(step.command)}`];
    case 'wait':
      return [`wait ${step.duration}`];
    case 'manual':
      return ['manual:', ...step.instructions.split('\n').map((line) => `  ${line}`)];
  }
}

/** What an action runs, one line per request/command; a sequence numbers its steps. */
export function stepLines(step: Step): string[] {
  if (step.type !== 'sequence') return simpleStepLines(step);
  return [
    'in order, stopping at the first failure:',
    ...step.steps.flatMap((inner, i) => {
      const [first = '', ...rest] = simpleStepLines(inner);
      return [`${i + 1}. ${first}`, ...rest.map((line) => `   ${line}`)];
    }),
  ];
}
