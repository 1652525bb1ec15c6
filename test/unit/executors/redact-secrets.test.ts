import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrlPassword } from '../../../src/executors/redact-secrets.js';

const TOKEN = 'adm-7f3a9c/Qx+k=';

describe('redactSecrets', () => {
  it('replaces a plain secret everywhere it appears', () => {
    expect(redactSecrets(`token ${TOKEN} and again ${TOKEN}.`, [TOKEN])).toBe(
      'token [redacted] and again [redacted].',
    );
  });

  it('replaces the URL-encoded form', () => {
    const text = `GET /x?key=${encodeURIComponent(TOKEN)}`;
    expect(encodeURIComponent(TOKEN)).not.toBe(TOKEN);
    expect(redactSecrets(text, [TOKEN])).toBe('GET /x?key=[redacted]');
  });

  it('replaces the base64 and base64url forms', () => {
    const base64 = Buffer.from(TOKEN).toString('base64');
    const base64url = Buffer.from(TOKEN).toString('base64url');
    expect(redactSecrets(`a=${base64} b=${base64url}`, [TOKEN])).toBe('a=[redacted] b=[redacted]');
  });

  it('replaces the JSON-escaped form', () => {
    const secret = 'pa"ss\\word';
    expect(redactSecrets(JSON.stringify({ secret }), [secret])).toBe('{"secret":"[redacted]"}');
  });

  it('ignores empty and very short values, which would blank ordinary text', () => {
    expect(redactSecrets('status 200 ok', ['', '200', 'ok'])).toBe('status 200 ok');
  });

  it('replaces the longest secret first when one contains another', () => {
    expect(redactSecrets('abcd-efgh', ['abcd', 'abcd-efgh'])).toBe('[redacted]');
  });

  it('hides any Bearer token, listed or not', () => {
    expect(redactSecrets('sent Bearer eyJhbGciOi.J9.x_y-z== to the API', [])).toBe(
      'sent Bearer [redacted] to the API',
    );
  });

  it('hides Authorization header values in header and JSON form', () => {
    expect(redactSecrets('Authorization: Basic dXNlcjpwYXNz\r\nHost: x', [])).toBe(
      'Authorization: [redacted]\r\nHost: x',
    );
    expect(redactSecrets('{"authorization":"Token abc123","ok":true}', [])).toBe(
      '{"authorization":"[redacted]","ok":true}',
    );
  });

  it('hides the password of a URL', () => {
    expect(redactSecrets('dial redis://:hunter22@cache:6379/1 failed', [])).toBe(
      'dial redis://:***@cache:6379/1 failed',
    );
    expect(redactUrlPassword('redis://admin:p%40ss@cache:6379')).toBe('redis://admin:***@cache:6379');
    expect(redactUrlPassword('redis://cache:6379')).toBe('redis://cache:6379');
  });
});
