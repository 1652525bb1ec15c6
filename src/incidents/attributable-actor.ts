import { type Actor, surfaces } from '../timeline/actor.js';
import type { Refusal } from './refusal.js';

/**
 * What a record can hold as "who": 1–128 characters, not blank, no control or format characters
 * (NUL, zero-width spaces, direction overrides). Spaces inside are fine: an alert may be called
 * "High CPU", a console user "Jane Doe".
 */
const ACTOR_ID = /^(?=.*\S)[^\p{C}]{1,128}$/u;

/**
 * The refusal for an actor the core cannot attribute, or undefined when it can. Every use case that
 * records a person's act (open, approve, skip, resolve) asks first, whatever the surface: an empty
 * user id would otherwise be recorded as an approval by nobody, queue a job the worker cannot
 * accept, and leave the action `queued` for good.
 */
export function unattributable(actor: Actor | undefined): Refusal | undefined {
  const via = actor && (surfaces as readonly string[]).includes(actor.via) ? actor.via : 'an unknown surface';
  if (!actor || typeof actor.id !== 'string' || !ACTOR_ID.test(actor.id) || via !== actor.via) {
    return { code: 'actor-unknown', via };
  }
  return undefined;
}
