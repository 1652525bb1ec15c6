import { describe, expect, it } from 'vitest';
import { type AlertMatch, matchAlert } from '../../../src/alerts/match-alert.js';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import { catalogOf, runbookWith } from './runbook-with-alerts.js';

const rule = (alert: string, matchers?: string[]) => ({
  alert,
  expr: 'vector(1)',
  ...(matchers ? { matchers } : {}),
});

/** The kind that claims the alert, or the outcome when none does. */
function claimant(match: AlertMatch): string {
  return match.outcome === 'matched' ? match.runbook.kind : match.outcome;
}

describe('matchAlert', () => {
  it('gives the shipped runbooks their alerts', async () => {
    const catalog = await loadRunbooks('commands');
    const match = matchAlert(catalog, { labels: { alertname: 'HTTP503ErrorSpike', runbook: '503' } });
    expect(match).toMatchObject({ outcome: 'matched', trigger: { alert: 'HTTP503ErrorSpike' } });
    expect(claimant(match)).toBe('503');
    expect(claimant(matchAlert(catalog, { labels: { alertname: 'RedisMemoryHigh' } }))).toBe('redis-memory');
  });

  it('claims by alertname alone when the trigger has no matchers', () => {
    const catalog = catalogOf(runbookWith('web', { triggers: [rule('Spike')] }), runbookWith('db'));
    expect(claimant(matchAlert(catalog, { labels: { alertname: 'Spike', instance: 'a:1' } }))).toBe('web');
  });

  it('says why nothing claims an alert', () => {
    const catalog = catalogOf(runbookWith('web', { triggers: [rule('Spike')] }));
    expect(matchAlert(catalog, { labels: { alertname: 'Other' } })).toEqual({
      outcome: 'unmatched',
      reason: 'no runbook has a trigger Other',
    });
    expect(matchAlert(catalog, { labels: { severity: 'critical' } })).toEqual({
      outcome: 'unmatched',
      reason: 'the alert has no alertname label',
    });
  });

  it('never claims an alert for a rule that is only in monitoring.alertRules', () => {
    const catalog = catalogOf(runbookWith('web', { alertRules: [rule('Installed')] }));
    expect(claimant(matchAlert(catalog, { labels: { alertname: 'Installed', runbook: 'web' } }))).toBe(
      'unmatched',
    );
  });

  it('requires every matcher of the trigger to hold', () => {
    const catalog = catalogOf(
      runbookWith('web', { triggers: [rule('Spike', ['env="prod"', 'instance=~"gen-.*"'])] }),
    );
    const labels = { alertname: 'Spike', env: 'prod', instance: 'gen-a:8002' };
    expect(claimant(matchAlert(catalog, { labels }))).toBe('web');
    expect(matchAlert(catalog, { labels: { ...labels, instance: 'api-a:8001' } })).toEqual({
      outcome: 'unmatched',
      reason: "the alert's labels do not satisfy the matchers of trigger Spike (runbook web)",
    });
    expect(claimant(matchAlert(catalog, { labels: { alertname: 'Spike', instance: 'gen-a' } }))).toBe(
      'unmatched',
    );
  });

  it('lets matchers split one alert name between runbooks', () => {
    const catalog = catalogOf(
      runbookWith('gen', { triggers: [rule('Down', ['job="generation-service"'])] }),
      runbookWith('proj', { triggers: [rule('Down', ['job="project-service"'])] }),
    );
    expect(claimant(matchAlert(catalog, { labels: { alertname: 'Down', job: 'project-service' } }))).toBe(
      'proj',
    );
    expect(claimant(matchAlert(catalog, { labels: { alertname: 'Down', job: 'generation-service' } }))).toBe(
      'gen',
    );
  });

  it('follows the runbook label firebreak rules adds, and reports two claimants without it', () => {
    const catalog = catalogOf(
      runbookWith('a', { triggers: [rule('Shared')] }),
      runbookWith('b', { triggers: [rule('Shared')] }),
    );
    expect(claimant(matchAlert(catalog, { labels: { alertname: 'Shared', runbook: 'b' } }))).toBe('b');
    expect(matchAlert(catalog, { labels: { alertname: 'Shared' } })).toEqual({
      outcome: 'ambiguous',
      kinds: ['a', 'b'],
      reason: expect.stringMatching(/^Shared is claimed by runbooks a, b: /),
    });
    // A kind the catalog no longer has (a rule file older than a rename) is no restriction.
    expect(claimant(matchAlert(catalog, { labels: { alertname: 'Shared', runbook: 'gone' } }))).toBe(
      'ambiguous',
    );
  });

  it('does not let the runbook label reach a runbook that has no such trigger', () => {
    const catalog = catalogOf(runbookWith('a', { triggers: [rule('Spike')] }), runbookWith('b'));
    expect(matchAlert(catalog, { labels: { alertname: 'Spike', runbook: 'b' } })).toEqual({
      outcome: 'unmatched',
      reason: "runbook b, named by the alert's runbook label, has no trigger Spike",
    });
  });
});
