import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isFirebreakError } from '../../../src/errors.js';
import { type LabelMatcher, matchesLabel, parseLabelMatcher } from '../../../src/runbooks/label-matcher.js';
import { parseRunbook } from '../../../src/runbooks/load-runbooks.js';

function parsed(text: string): LabelMatcher {
  const matcher = parseLabelMatcher(text);
  if (typeof matcher === 'string') throw new Error(matcher);
  return matcher;
}

describe('parseLabelMatcher', () => {
  it("reads Alertmanager's four operators, quoted or bare values, spaces around them", () => {
    expect(parsed('job="generation-service"')).toEqual({
      label: 'job',
      op: '=',
      value: 'generation-service',
    });
    expect(parsed(' env != staging ')).toEqual({ label: 'env', op: '!=', value: 'staging' });
    expect(parsed('severity=~"critical|page"')).toEqual({
      label: 'severity',
      op: '=~',
      value: 'critical|page',
    });
    expect(parsed('instance!~"test-.*"')).toEqual({ label: 'instance', op: '!~', value: 'test-.*' });
    expect(parsed('team=""')).toEqual({ label: 'team', op: '=', value: '' });
    expect(parsed('msg="say \\"hi\\""')).toEqual({ label: 'msg', op: '=', value: 'say "hi"' });
  });

  it('says what is wrong with one that does not parse', () => {
    expect(parseLabelMatcher('job')).toBe(
      '"job" is not a label matcher like job="generation-service" (operators =, !=, =~, !~)',
    );
    expect(parseLabelMatcher('1job="x"')).toMatch(/is not a label matcher/);
    expect(parseLabelMatcher('job=="x"')).toMatch(/is not a label matcher/);
    expect(parseLabelMatcher('job=~"(gen"')).toMatch(
      /^"job=~"\(gen"": \(gen is not a valid regular expression/,
    );
  });
});

describe('matchesLabel', () => {
  const labels = { job: 'generation-service', severity: 'critical' };

  it('anchors regular expressions at both ends, as Alertmanager does', () => {
    expect(matchesLabel(parsed('severity=~"crit"'), labels)).toBe(false);
    expect(matchesLabel(parsed('severity=~"crit.*"'), labels)).toBe(true);
    expect(matchesLabel(parsed('severity!~"warn|info"'), labels)).toBe(true);
  });

  it('treats a missing label as the empty string', () => {
    expect(matchesLabel(parsed('team=""'), labels)).toBe(true);
    expect(matchesLabel(parsed('team!=""'), labels)).toBe(false);
    expect(matchesLabel(parsed('job!=""'), labels)).toBe(true);
    expect(matchesLabel(parsed('team!=ops'), labels)).toBe(true);
  });
});

describe('triggers.alerts[].matchers in a runbook', () => {
  it('stops the load at a matcher that does not parse, naming the file, line and field', () => {
    const text = stringify({
      kind: 'demo',
      title: 'Demo',
      triggers: { alerts: [{ alert: 'Down', expr: 'up == 0', matchers: ['job="x"', 'job'] }] },
      probes: [{ id: 'cpu', title: 'CPU', step: 1, check: { type: 'host', metric: 'cpu' } }],
      groups: [{ id: 'P1', title: 'Now', deadline: '30s' }],
      actions: [{ id: 'wait', title: 'Wait', group: 'P1', run: { type: 'wait', duration: '1s' } }],
    });
    let error: unknown;
    try {
      parseRunbook(text, 'demo.yaml');
    } catch (err) {
      error = err;
    }
    expect(isFirebreakError(error, 'runbook_invalid')).toBe(true);
    expect((error as Error).message).toMatch(
      /^demo\.yaml:\d+: triggers\.alerts\[0\]\.matchers\[1\]: "job" is not a label matcher/m,
    );
  });
});
