import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../../../src/slack/commands/subcommands.js';

const kinds = new Set(['503', 'redis-memory']);
const parse = (text: string) => parseIncidentCommand(text, kinds);

describe('parseIncidentCommand', () => {
  it.each(['', '   ', 'help', 'HELP', '  Help  me'])('%j asks for help', (text) => {
    expect(parse(text)).toEqual({ type: 'help' });
  });

  it.each([
    ['status', 'status'],
    ['list', 'list'],
    ['STATUS', 'status'],
    ['\tlist\n', 'list'],
  ] as const)('%j is the %s subcommand', (text, type) => {
    expect(parse(text)).toEqual({ type });
  });

  it.each([
    ['resolve', false, undefined],
    ['Resolve now please', false, 'now please'],
    ['resolve force', true, undefined],
    ['RESOLVE --force', true, undefined],
    ['resolve forced', false, 'forced'],
    ['resolve force load test tomorrow', true, 'load test tomorrow'],
  ] as const)('%j resolves, force %s, reason %j', (text, force, reason) => {
    expect(parse(text)).toEqual({ type: 'resolve', force, ...(reason ? { reason } : {}) });
  });

  it('opens an incident of a known kind, with the rest as its summary', () => {
    expect(parse('503 checkout returns 503 for everyone')).toEqual({
      type: 'open',
      kind: '503',
      summary: 'checkout returns 503 for everyone',
    });
    expect(parse('redis-memory')).toEqual({ type: 'open', kind: 'redis-memory', summary: '' });
  });

  it.each(['dry-run', 'DRY-RUN', '--dry-run', 'dryrun'])('opens a dry run with %j after the kind', (word) => {
    expect(parse(`503 ${word} rehearsal of the runbook`)).toEqual({
      type: 'open',
      kind: '503',
      summary: 'rehearsal of the runbook',
      dryRun: true,
    });
  });

  it('reads "dry-run" as the flag only right after the kind', () => {
    expect(parse('503 checkout down, not a dry-run')).not.toHaveProperty('dryRun');
    expect(parse('503 new dry-run rehearsal')).toEqual({
      type: 'open',
      kind: '503',
      summary: 'rehearsal',
      new: true,
      dryRun: true,
    });
    expect(parse('503 dry-run new')).toMatchObject({ summary: '', new: true, dryRun: true });
  });

  it('matches kinds whatever their case, and collapses the whitespace of the summary', () => {
    expect(parse('  REDIS-Memory   used_memory   at 97 %  ')).toEqual({
      type: 'open',
      kind: 'redis-memory',
      summary: 'used_memory at 97 %',
    });
  });

  it('clips the summary to 500 characters', () => {
    const parsed = parse(`503 ${'x'.repeat(700)}`);
    expect(parsed).toMatchObject({ type: 'open', kind: '503' });
    expect(parsed.type === 'open' && parsed.summary).toHaveLength(500);
  });

  it('returns an unknown word as typed, clipped to 40 characters', () => {
    expect(parse('504 gateway timeout')).toEqual({ type: 'unknown', word: '504' });
    expect(parse('Resolved')).toEqual({ type: 'unknown', word: 'Resolved' });
    expect(parse('y'.repeat(60))).toEqual({ type: 'unknown', word: 'y'.repeat(40) });
  });

  it('does not treat a kind it was not given as one', () => {
    expect(parseIncidentCommand('503', new Set())).toEqual({ type: 'unknown', word: '503' });
  });
});
