import type { Action, ActionGroup, Runbook } from '../runbooks/runbook-schema.js';
import type { ApproverEntry } from '../runbooks/safety-schema.js';
import type { Actor } from '../timeline/actor.js';
import { isNobody, NOBODY, type People } from '../timeline/people.js';
import type { PolicyDecisionKind } from './action-rules.js';
import type { Incident } from './incident.js';
import type { Refusal } from './refusal.js';

export type PolicyDecision = { allowed: true } | { allowed: false; refusal: Refusal };

/** The members of a group, or why they could not be read (a missing scope, an unknown group). */
export type GroupMembers = { ok: true; members: readonly string[] } | { ok: false; reason: string };

/**
 * Who belongs to a group of people. Groups are a surface's knowledge (Slack user groups, through
 * `usergroups.users.list`): the surface implements this and hands it to the policy, so the core
 * never learns how a surface stores its people.
 */
export interface PeopleDirectory {
  membersOf(groupId: string): Promise<GroupMembers>;
}

/** Until a surface attaches its directory, no group can be read: membership through one is refused. */
const NO_DIRECTORY: PeopleDirectory = {
  membersOf: async () => ({ ok: false, reason: 'no surface that knows groups is attached' }),
};

/** The environment's defaults; a runbook's `policy`, a group's and an action's `approvers` override them. */
export interface PolicySettings {
  /** INCIDENT_APPROVERS and INCIDENT_APPROVER_GROUPS: nobody listed lets anyone decide. */
  approvers: People;
  /** INCIDENT_DESTRUCTIVE_APPROVALS: different people a destructive action needs. @defaultValue 2 */
  destructiveApprovals: number;
  /** INCIDENT_REQUESTER_RULE: the requester cannot be a destructive action's only approver. @defaultValue true */
  requesterRule: boolean;
}

export const DEFAULT_POLICY: PolicySettings = {
  approvers: NOBODY,
  destructiveApprovals: 2,
  requesterRule: true,
};

/** What approving one action takes. */
export interface Requirement {
  /** Who may approve, skip or cancel it (nobody listed: anyone). */
  approvers: People;
  /** Different people who must approve. */
  approvals: number;
  /** This person (the incident's requester) cannot be the only approver: someone else must be among them. */
  otherThan?: string;
}

/**
 * Who may decide what, and what an action needs to run: checked by the core for every surface, so
 * a button, a slash command, a console or the CLI get the same answer.
 */
export interface ApprovalPolicy {
  requirement(incident: Incident, runbook: Runbook, action: Action): Requirement;
  /** Whether `actor` may take `decision` (on `action`, or on the incident for resolve and force-resolve). */
  authorize(
    actor: Actor,
    decision: PolicyDecisionKind,
    incident: Incident,
    runbook: Runbook,
    action?: Action,
  ): Promise<PolicyDecision>;
  /** The surface that knows the groups (Slack) attaches its directory once it is built. */
  useDirectory(directory: PeopleDirectory): void;
}

/** A runbook's `approvers:` list as the core's People. */
export function peopleOf(entries: readonly ApproverEntry[] | undefined): People | undefined {
  if (!entries) return undefined;
  return {
    users: entries.flatMap((e) => (typeof e === 'string' ? [e] : [])),
    groups: entries.flatMap((e) => (typeof e === 'string' ? [] : [e.group])),
  };
}

export function createApprovalPolicy(settings: PolicySettings = DEFAULT_POLICY): ApprovalPolicy {
  let directory = NO_DIRECTORY;
  const runbookApprovers = (runbook: Runbook): People =>
    peopleOf(runbook.policy?.approvers) ?? settings.approvers;
  const groupOf = (runbook: Runbook, action: Action): ActionGroup | undefined =>
    runbook.groups.find((g) => g.id === action.group);

  const requirement = (incident: Incident, runbook: Runbook, action: Action): Requirement => {
    const approvers =
      peopleOf(action.approvers) ??
      peopleOf(groupOf(runbook, action)?.approvers) ??
      runbookApprovers(runbook);
    const destructive = runbook.policy?.destructive;
    const approvals =
      action.approvals ??
      (action.destructive ? (destructive?.approvals ?? settings.destructiveApprovals) : 1);
    const rule = action.destructive && (destructive?.requesterRule ?? settings.requesterRule);
    // Only a person can be "the requester": an alert that opened the incident approves nothing.
    const person = incident.openedVia !== 'alertmanager' && incident.openedVia !== 'firebreak';
    return { approvers, approvals, ...(rule && person ? { otherThan: incident.openedBy } : {}) };
  };

  return {
    requirement,
    async authorize(actor, decision, incident, runbook, action) {
      const onAction = decision === 'approve' || decision === 'skip' || decision === 'cancel';
      const deciders =
        onAction && action ? requirement(incident, runbook, action).approvers : runbookApprovers(runbook);
      if (isNobody(deciders) || deciders.users.includes(actor.id)) return { allowed: true };
      // Whoever opened the incident may close it when it is done; forcing it over live mitigations is an approver's call.
      if (decision === 'resolve' && actor.id === incident.openedBy && actor.via === incident.openedVia) {
        return { allowed: true };
      }
      const unreadable: string[] = [];
      for (const group of deciders.groups) {
        const members = await directory.membersOf(group);
        if (members.ok && members.members.includes(actor.id)) return { allowed: true };
        if (!members.ok) unreadable.push(`${group} (${members.reason})`);
      }
      return {
        allowed: false,
        refusal: {
          code: 'not-approver',
          actor,
          decision,
          approvers: deciders,
          ...(unreadable.length > 0 ? { unreadable } : {}),
        },
      };
    },
    useDirectory(next) {
      directory = next;
    },
  };
}
