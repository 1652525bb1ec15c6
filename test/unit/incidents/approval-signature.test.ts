import { describe, expect, it } from 'vitest';
import { createApprovalSigner } from '../../../src/incidents/approval-signature.js';

const KEY = 'an approval signing key of 32+ characters';
const record = {
  incidentId: '20261125-503-k3f9',
  actionId: 'p2-clean-temp-files',
  attempt: 2,
  approvers: ['U0BOB00002', 'U0ALICE001'],
  runbook: 'abcdef123456',
};

describe('approval signatures', () => {
  it('verifies what it signed, whatever the order of the approvers', () => {
    const signer = createApprovalSigner(KEY);
    const signed = signer.sign(record);
    expect(signed).toEqual({
      approvers: ['U0ALICE001', 'U0BOB00002'],
      runbook: 'abcdef123456',
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(signer.verify({ ...record, approvers: [...record.approvers].reverse() }, signed.mac)).toBe(true);
  });

  it('refuses any change to what was signed, another key, and a mangled signature', () => {
    const signer = createApprovalSigner(KEY);
    const { mac } = signer.sign(record);
    for (const changed of [
      { incidentId: '20261125-503-zzzz' },
      { actionId: 'p3-sequential-restart' },
      { attempt: 3 },
      { approvers: ['U0MALLORY1'] },
      { approvers: ['U0ALICE001'] },
      { runbook: '000000000000' },
    ]) {
      expect(signer.verify({ ...record, ...changed }, mac)).toBe(false);
    }
    expect(createApprovalSigner(`${KEY}.`).verify(record, mac)).toBe(false);
    expect(signer.verify(record, mac.slice(0, 62))).toBe(false);
    expect(signer.verify(record, 'not hex at all')).toBe(false);
  });

  it('names its key by a fingerprint that differs per key and reveals nothing of it', () => {
    const one = createApprovalSigner(KEY);
    expect(one.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(createApprovalSigner(KEY).keyId).toBe(one.keyId);
    expect(createApprovalSigner('another key entirely, also long enough').keyId).not.toBe(one.keyId);
    expect(JSON.stringify(one)).not.toContain(KEY);
  });
});
