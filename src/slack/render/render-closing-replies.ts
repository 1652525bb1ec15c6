import type { NoteResult } from '../../incidents/add-note.js';
import type { WriteResult } from '../../postmortem/write-postmortem.js';
import type { RunChecksResult } from '../../verification/run-checks.js';
import { renderRefusal } from './render-refusal.js';

/** The answer to `/incident verify` (and the Verify button): how many passed, and where to look. */
export function renderVerifyAnswer(result: RunChecksResult): string {
  switch (result.kind) {
    case 'refused':
      return `:warning: ${renderRefusal(result.refusal)}.`;
    case 'no-checks':
      return 'This runbook has no automated recovery check due yet (`/incident verify all` runs every tier).';
    case 'ran': {
      const count = (s: string) => result.results.filter((r) => r.status === s).length;
      const recovered = result.recoveredAt ? ' :green_heart: The incident has recovered.' : '';
      return `Checked ${result.results.length}: ${count('passed')} passed, ${count('failed')} failed, ${count('unknown')} unknown — the checklist message in the thread is updated.${recovered}`;
    }
  }
}

export function renderNoteAnswer(result: NoteResult): string | undefined {
  return result.kind === 'refused' ? `:warning: ${renderRefusal(result.refusal)}.` : undefined;
}

export function renderPostmortemAnswer(incidentId: string, result: WriteResult): string {
  return result.kind === 'written'
    ? `:page_facing_up: Postmortem of *${incidentId}* written (version ${result.version}); it is on its way to the thread as a file, and \`firebreak postmortem ${incidentId}\` prints it.`
    : `:warning: incident ${incidentId} does not exist.`;
}
