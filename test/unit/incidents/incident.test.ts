import { describe, expect, it } from 'vitest';
import { canTransition, dayStamp, newIncidentId, randomSuffix } from '../../../src/incidents/incident.js';

describe('incident ids', () => {
  it('are the UTC day, the kind and four random characters', () => {
    expect(newIncidentId('503', new Date('2026-11-25T02:00:00Z'), 'k3f9')).toBe('20261125-503-k3f9');
    // 23:30 in New York on the 24th is the 25th in UTC: every replica names the day the same way.
    expect(newIncidentId('503', new Date('2026-11-24T23:30:00-05:00'), 'ab12')).toBe('20261125-503-ab12');
    expect(newIncidentId('redis-memory', new Date('2026-01-02T00:00:00Z'))).toMatch(
      /^20260102-redis-memory-[a-z0-9]{4}$/,
    );
  });

  it('draw their suffix from lowercase letters and digits', () => {
    const suffixes = Array.from({ length: 200 }, () => randomSuffix());
    for (const s of suffixes) expect(s).toMatch(/^[a-z0-9]{4}$/);
    expect(new Set(suffixes).size).toBeGreaterThan(190);
    expect(randomSuffix(9)).toMatch(/^[a-z0-9]{9}$/);
  });

  it('never contain ":" nor are all digits, so they are valid BullMQ job id parts', () => {
    const id = newIncidentId('503', new Date());
    expect(id).not.toContain(':');
    expect(id).not.toMatch(/^\d+$/);
  });

  it('dayStamp is the UTC date without separators', () => {
    expect(dayStamp(new Date('2026-03-09T23:59:59.999Z'))).toBe('20260309');
  });
});

describe('canTransition', () => {
  it('moves forward only, and never out of resolved', () => {
    expect(canTransition('opening', 'investigating')).toBe(true);
    expect(canTransition('investigating', 'mitigating')).toBe(true);
    expect(canTransition('mitigating', 'resolved')).toBe(true);
    expect(canTransition('opening', 'resolved')).toBe(true);
    expect(canTransition('mitigating', 'investigating')).toBe(false);
    expect(canTransition('resolved', 'investigating')).toBe(false);
    expect(canTransition('resolved', 'resolved')).toBe(false);
  });
});
