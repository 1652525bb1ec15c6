// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings, not JS templates.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/logging/logger.js';
import { interpolateForDisplay } from '../../../src/runbooks/interpolate.js';
import { runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import { maskCredentials } from '../../../src/secrets/mask-credentials.js';
import { SecretMask } from '../../../src/secrets/secret-mask.js';
import { isSecretName, secretNames } from '../../../src/secrets/secret-names.js';
import { secretValues } from '../../../src/secrets/secret-values.js';
import { renderActionCard } from '../../../src/slack/render/render-action-card.js';

const BOT_TOKEN = `xoxb-1234567890-${'a1b2c3'.repeat(4)}`;

describe('credentials by shape', () => {
  it('masks Slack tokens, bearer tokens, authorization values and URL passwords wherever they appear', () => {
    const text = `posted with ${BOT_TOKEN}; app xapp-1-A0-123-abcdef; curl -H "Authorization: Basic dXNlcjpwYXNz" http://u:hunter22@db:5432 Bearer eyJhbGciOi.J9.x`;
    const masked = maskCredentials(text);
    expect(masked).not.toContain(BOT_TOKEN);
    expect(masked).not.toContain('xapp-1-A0');
    expect(masked).not.toContain('dXNlcjpwYXNz');
    expect(masked).not.toContain('hunter22');
    expect(masked).not.toContain('eyJhbGciOi');
    expect(masked).toContain('http://u:***@db:5432');
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET http://127.0.0.1:8002/health → 200 in 12 ms; xox is a word; bearer of news';
    expect(maskCredentials(text)).toBe(text);
  });
});

describe('secrets by declaration', () => {
  it('counts declared names whatever they are called, and the name pattern by default', () => {
    const isSecret = secretNames(['DB', 'UPSTREAM_LOGIN']);
    for (const name of ['DB', 'UPSTREAM_LOGIN', 'ADMIN_TOKEN', 'DB_PASS', 'SERVICE_AUTH', 'OPENAI_API_KEY']) {
      expect(isSecret(name), name).toBe(true);
    }
    for (const name of ['GENERATION_SERVICE_URL', 'LOG_LEVEL', 'PATH'])
      expect(isSecret(name), name).toBe(false);
    expect(isSecretName('DB')).toBe(false);
  });

  it('takes declared values from 4 characters, guessed ones from 8, and the password of any URL', () => {
    const values = secretValues(
      {
        DB: 'p4ss',
        AUTH_MODE: 'basic',
        SERVICE_AUTH: 'svc-auth-0123',
        DATABASE_URL: 'postgres://app:s%40fe-pw@db:5432/app',
        LOG_LEVEL: 'info',
      },
      { declared: new Set(['DB']), guessed: secretNames(['DB']) },
    );
    expect(values.sort()).toEqual(['p4ss', 's%40fe-pw', 's@fe-pw', 'svc-auth-0123'].sort());
  });

  it('reads SECRET_VARIABLES, and keeps the values of declared and guessed secrets out of everything shown', () => {
    const config = readConfig(
      {
        SLACK_SIGNING_SECRET: 'signing-secret-1',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SECRET_VARIABLES: 'DB,UPSTREAM_LOGIN',
        DB: 'db-password',
        UPSTREAM_LOGIN: 'upstream-login',
        DB_PASS: 'db-pass-value',
        REDIS_URL: 'redis://:redis-pw-1@127.0.0.1:6390',
      },
      'bot',
    );
    expect(config.secretVariables).toEqual(expect.arrayContaining(['DB', 'UPSTREAM_LOGIN', 'ADMIN_TOKEN']));
    expect(config.secrets).toEqual(
      expect.arrayContaining(['db-password', 'upstream-login', 'db-pass-value', 'redis-pw-1', BOT_TOKEN]),
    );
    expect(() => readConfig({ SECRET_VARIABLES: 'DB PASS,9bad' }, 'worker')).toThrow(
      /SECRET_VARIABLES: environment variable names such as DB_PASS, comma-separated \(not "9bad"\)/,
    );
  });

  it('shows a declared secret as its name on an approval card, and masks a credential-shaped value', () => {
    const runbook = runbookSchema.parse({
      kind: 'db',
      title: 'Database',
      secrets: ['DB'],
      probes: [{ id: 'ping', title: 'Ping', step: 1, check: { type: 'http', url: 'http://x/ping' } }],
      groups: [{ id: 'P1', title: 'Now' }],
      actions: [
        {
          id: 'kill',
          title: 'Kill the long queries',
          group: 'P1',
          run: {
            type: 'process',
            command: ['psql', '${DATABASE_URL}', '-c', 'select 1', '--password=${DB}'],
          },
        },
        {
          id: 'call',
          title: 'Call the service',
          group: 'P1',
          run: { type: 'http', method: 'POST', url: '${SERVICE_URL}/admin?auth=${SERVICE_AUTH}' },
        },
      ],
    });
    const vars = {
      DB: 'db-password',
      SERVICE_AUTH: 'svc-auth-0123',
      SERVICE_URL: 'https://svc.internal',
      DATABASE_URL: 'postgres://app:pg-pw-77@db:5432/app',
    };
    const card = JSON.stringify(
      renderActionCard({
        incident: {
          id: '20261125-db-a1b2',
          kind: 'db',
          title: 'Database',
          summary: '',
          severity: 'major',
          status: 'investigating',
          openedBy: 'U0ALICE001',
          openedVia: 'slack',
          openedAt: '2026-11-25T02:00:00.000Z',
          progress: {},
        },
        runbook,
        groupId: 'P1',
        states: new Map(),
        diagnosis: undefined,
        vars,
      }),
    );
    for (const secret of ['db-password', 'svc-auth-0123', 'pg-pw-77']) expect(card).not.toContain(secret);
    expect(card).toContain('--password=${DB}');
    expect(card).toContain('https://svc.internal/admin?auth=${SERVICE_AUTH}');
    expect(card).toContain('postgres://app:***@db:5432/app');
    expect(interpolateForDisplay('${DB}', vars)).toBe('db-password');
    expect(interpolateForDisplay('${DB}', vars, secretNames(['DB']))).toBe('${DB}');
  });
});

describe('the log mask', () => {
  it('hides known values and credential shapes inside messages, errors and nested JSON', () => {
    let out = '';
    const mask = new SecretMask(['adm-7f3a9c"x']);
    const log = createLogger(
      'debug',
      new Writable({
        write(chunk, _enc, done) {
          out += chunk.toString();
          done();
        },
      }),
      mask,
    );
    log.error({ err: new Error('POST failed with Bearer abc.def.ghi') }, `token was adm-7f3a9c"x`);
    log.info({ body: JSON.stringify({ text: `sent ${BOT_TOKEN}` }) }, 'http request body');
    mask.add(['added-later-1']);
    log.info('see added-later-1 here');
    expect(out).not.toContain('adm-7f3a9c');
    expect(out).not.toContain('abc.def.ghi');
    expect(out).not.toContain(BOT_TOKEN);
    expect(out).not.toContain('added-later-1');
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});
