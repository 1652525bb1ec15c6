import type { PostmortemDeps } from '../postmortem/postmortem-deps.js';
import type { VerificationDeps } from '../verification/verification-deps.js';

/** The recovery checklist and the postmortem, as the Slack surface calls and renders them. */
export interface ClosingServices {
  verification: VerificationDeps;
  postmortem: PostmortemDeps;
}
