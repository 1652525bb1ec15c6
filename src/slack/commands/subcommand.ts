import type { ActionState } from '../../incidents/action-state.js';
import type { NoteResult } from '../../incidents/add-note.js';
import type { Incident } from '../../incidents/incident.js';
import type { ResolveResult } from '../../incidents/resolve-incident.js';
import type { FleetStatus } from '../../incidents/worker-fleet.js';
import type { WriteResult } from '../../postmortem/write-postmortem.js';
import type { Actor } from '../../timeline/actor.js';
import type { RunChecksResult } from '../../verification/run-checks.js';
import type { SlackOrigin } from '../slack-ledger.js';

/** The slash command as Slack sent it, reduced to what handlers use. */
export interface CommandInput {
  text: string;
  userId: string;
  channelId: string;
  responseUrl?: string;
}

/**
 * What handlers read and do, as functions: the dispatcher binds them to the core and the Slack
 * ledger (`command-context.ts`); unit tests build them from plain data.
 */
export interface CommandContext {
  /** Runbook kinds, sorted: what `/incident <kind>` accepts. */
  kinds: readonly string[];
  /** `/incident help`'s text, built from the subcommand table. */
  usage(problem?: string): string;
  /** The incident whose channel this is (Slack ledger), if any. */
  incidentIn(channelId: string): Promise<Incident | undefined>;
  actionsOf(incidentId: string): Promise<ActionState[]>;
  openIncidents(): Promise<Incident[]>;
  /** The open incident of `kind` that an alert opened, if any (the core's `findOpenIncident`). */
  alertIncidentOf(kind: string): Promise<Incident | undefined>;
  recentIncidents(limit: number): Promise<Incident[]>;
  channelsOf(incidentIds: readonly string[]): Promise<ReadonlyMap<string, { id: string; name: string }>>;
  open(request: {
    kind: string;
    summary: string;
    actor: Actor;
    origin: SlackOrigin;
    dryRun?: boolean;
  }): Promise<Incident>;
  resolve(
    incidentId: string,
    actor: Actor,
    options: { force: boolean; reason?: string },
  ): Promise<ResolveResult>;
  /** Runs the recovery checks now: `due` (the tiers whose time has come) or `all` (the load test too). */
  verify(incidentId: string, actor: Actor, scope: 'due' | 'all'): Promise<RunChecksResult>;
  note(incidentId: string, actor: Actor, text: string): Promise<NoteResult>;
  writePostmortem(incidentId: string, actor: Actor): Promise<WriteResult>;
  /** The workers on the hosts and what is wrong with them; undefined where no registry is wired. */
  workers(): Promise<FleetStatus | undefined>;
}

/**
 * One `/incident` subcommand: parse, ack, work and help from the same entry. `ack` answers inside
 * Slack's 3 s before any I/O; `run` does the work afterwards and its text reaches the requester
 * through the response_url. An entry has at least one of them, so a subcommand never answers nothing.
 */
export type Subcommand<A extends object = object> = {
  /** The word typed after `/incident` (`status`); for the open command, a placeholder (`<kind>`). */
  name: string;
  /** Its arguments as the help shows them: `[force]`. */
  args?: string;
  /** One line for the help. */
  summary(kinds: readonly string[]): string;
  /** The words after the subcommand's own, into its arguments. Pure; never throws. */
  parse(words: readonly string[]): A;
} & (
  | {
      ack(args: A, ctx: CommandContext): string | undefined;
      run?(...work: Work<A>): Promise<string | undefined>;
    }
  | {
      ack?(args: A, ctx: CommandContext): string | undefined;
      run(...work: Work<A>): Promise<string | undefined>;
    }
);

type Work<A> = [args: A, ctx: CommandContext, input: CommandInput];
