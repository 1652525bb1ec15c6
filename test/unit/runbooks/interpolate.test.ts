// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings, not JS templates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFirebreakError } from '../../../src/errors.js';
import {
  interpolate,
  interpolateDeep,
  interpolateForDisplay,
  variablesIn,
} from '../../../src/runbooks/interpolate.js';

describe('interpolate', () => {
  it('replaces ${VAR} with its value', () => {
    expect(interpolate('Bearer ${ADMIN_TOKEN}', { ADMIN_TOKEN: 't0k' })).toBe('Bearer t0k');
  });

  it('uses the value, else the default, of ${VAR:-default}', () => {
    const template = '${URL:-http://localhost:8002}/health';
    expect(interpolate(template, { URL: 'http://gen:80' })).toBe('http://gen:80/health');
    expect(interpolate(template, {})).toBe('http://localhost:8002/health');
  });

  it('treats an empty variable as unset, like the shell', () => {
    expect(interpolate('${URL:-http://fallback}', { URL: '' })).toBe('http://fallback');
  });

  it('writes a literal ${ for $${', () => {
    expect(interpolate('$${HOME} and ${A}', { A: 'a', HOME: '/root' })).toBe('${HOME} and a');
  });

  it('names an unset variable without a default', () => {
    let caught: unknown;
    try {
      interpolate('Bearer ${ADMIN_TOKEN}', {});
    } catch (err) {
      caught = err;
    }
    expect(isFirebreakError(caught, 'runbook_variable_unset')).toBe(true);
    expect((caught as Error).message).toContain('ADMIN_TOKEN is not set');
  });

  it('leaves strings without ${ unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('${')),
        (text) => interpolate(text, { A: 'x' }) === text,
      ),
    );
  });

  it('interpolates every string of a body and lists the variables a template reads', () => {
    const body = { url: '${A}', list: ['${B:-b}', 3], nested: { ok: true } };
    expect(interpolateDeep(body, { A: 'a' })).toEqual({ url: 'a', list: ['b', 3], nested: { ok: true } });
    expect(variablesIn('${A}/${B:-x}/$${C}')).toEqual(['A', 'B']);
  });
});

describe('interpolateForDisplay', () => {
  it('resolves targets, keeps credentials as written, falls back to the default, never throws', () => {
    const vars = { GENERATION_SERVICE_URL: 'http://gen.prod:8002', ADMIN_TOKEN: 'super-secret-value' };
    expect(
      interpolateForDisplay(
        'POST ${GENERATION_SERVICE_URL:-http://localhost:8002}/x [Bearer ${ADMIN_TOKEN}] ${PROMETHEUS_URL:-http://localhost:9090} ${UNSET}',
        vars,
      ),
    ).toBe('POST http://gen.prod:8002/x [Bearer ${ADMIN_TOKEN}] http://localhost:9090 ${UNSET}');
  });

  it.each(['ADMIN_TOKEN', 'OPENAI_API_KEY', 'DB_PASSWORD', 'SLACK_SIGNING_SECRET', 'AWS_CREDENTIALS'])(
    'never shows %s',
    (name) => {
      expect(interpolateForDisplay(`\${${name}:-fallback}`, { [name]: 'value-1234' })).toBe(
        `\${${name}:-fallback}`,
      );
    },
  );
});
