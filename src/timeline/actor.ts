/**
 * The surfaces people (and machines) act through. The core records which one, so each surface can
 * render an actor its own way (a Slack mention, an alert's name, a console user) and the postmortem
 * can say where a decision came from.
 */
export const surfaces = ['slack', 'alertmanager', 'console', 'cli', 'firebreak'] as const;
export type Surface = (typeof surfaces)[number];

/** Who did something, and through which surface. `id` is the surface's own id (a Slack user id: `U…`). */
export interface Actor {
  id: string;
  via: Surface;
}

/** Firebreak itself: scheduled work, the opening flow, a worker recording a result. */
export const FIREBREAK: Actor = { id: 'firebreak', via: 'firebreak' };

/** Records keep an actor as two plain fields (`…By`, `…Via`), so they stay flat JSON in Redis. */
export function actorOf(id: string | undefined, via: Surface | undefined): Actor | undefined {
  return id ? { id, via: via ?? 'firebreak' } : undefined;
}
