import { interpolate, interpolateDeep, type Variables } from '../runbooks/interpolate.js';
import type { SimpleStep, Step, StepExpectation } from '../runbooks/runbook-schema.js';
import { conditionText } from '../runbooks/runbook-text.js';
import { redactSecrets } from './redact-secrets.js';
import { errorMessage, formatArgv, truncate } from './result-text.js';
import { stepSecrets } from './step-secrets.js';

/** A body or header set as one compact line, cut before it floods a message. */
function compact(value: unknown): string {
  return truncate(JSON.stringify(value), 400);
}

function expectationText(expect: StepExpectation | undefined): string[] {
  if (!expect) return [];
  const parts = [
    ...(expect.status !== undefined ? [`status ${[expect.status].flat().join(' or ')}`] : []),
    ...(expect.json ? [`${expect.json.path} = ${JSON.stringify(expect.json.equals)}`] : []),
    ...(expect.condition ? [conditionText(expect.condition)] : []),
  ];
  return parts.length > 0 ? [`  then checks: ${parts.join(', ')}`] : [];
}

function simpleLines(step: SimpleStep, vars: Variables): string[] {
  switch (step.type) {
    case 'http': {
      const lines = [`${step.method} ${interpolate(step.url, vars)} (timeout ${step.timeout})`];
      const headers = interpolateDeep(step.headers ?? {}, vars);
      if (Object.keys(headers).length > 0) lines.push(`  headers: ${compact(headers)}`);
      if (step.body !== undefined) lines.push(`  body: ${compact(interpolateDeep(step.body, vars))}`);
      return [...lines, ...expectationText(step.expect)];
    }
    case 'redis': {
      const db = step.db === undefined ? '' : ` db ${step.db}`;
      const command = formatArgv(interpolateDeep(step.command, vars));
      return [
        `redis ${interpolate(step.url, vars)}${db}: ${command} (timeout ${step.timeout})`,
        ...expectationText(step.expect),
      ];
    }
    case 'process':
      return [
        `run ${formatArgv(interpolateDeep(step.command, vars))} (no shell, timeout ${step.timeout})`,
        ...expectationText(step.expect),
      ];
    case 'wait':
      return [`wait ${step.duration}`];
    case 'manual':
      return [`by hand: ${truncate(step.instructions.trim().split('\n')[0] ?? '', 200)}`];
  }
}

/**
 * What a step would do, fully resolved — method, URL, headers, body, argv, Redis command — with every
 * secret masked: the values in `secrets`, the ones this step sends in headers or a Redis URL, bearer
 * tokens and URL passwords. For dry runs and the Preview button; it touches nothing. A variable that
 * cannot be resolved is said, not thrown.
 */
export function previewStep(step: Step, vars: Variables, secrets: readonly string[]): string {
  const masked = [...secrets, ...stepSecrets(step, vars)];
  const lines = (child: SimpleStep, prefix = ''): string[] => {
    try {
      return simpleLines(child, vars).map((line, i) =>
        i === 0 ? `${prefix}${line}` : `${' '.repeat(prefix.length)}${line}`,
      );
    } catch (error) {
      return [`${prefix}cannot be resolved: ${errorMessage(error)}`];
    }
  };
  const text =
    step.type === 'sequence'
      ? step.steps.flatMap((child, i) => lines(child, `${i + 1}. `)).join('\n')
      : lines(step).join('\n');
  return redactSecrets(text, masked);
}
