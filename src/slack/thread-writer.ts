import type { Diagnosis } from '../diagnostics/run-diagnosis.js';
import type { ApprovalPolicy } from '../incidents/approval-policy.js';
import type { IncidentState } from '../incidents/incident-store.js';
import type { Logger } from '../logging/logger.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { Action, Runbook } from '../runbooks/runbook-schema.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import type { RedisChecklistStore } from '../verification/checklist-store.js';
import { type CardContext, groupsToShow, packCards } from './cards/card-plan.js';
import { renderCardMessage } from './cards/render-card-message.js';
import { type ClosingDelivery, headerMessage } from './deliver-closing-entry.js';
import { type RenderedMessage, section } from './render/blocks.js';
import type { DeliveryBook, SlackLedger } from './slack-ledger.js';
import type { SlackOutbound } from './slack-outbound.js';

/** At most this many timeline lines share one message when the thread is behind. */
const MAX_LINES_PER_MESSAGE = 10;

/** What an entry with messages of its own (the live checklist, the postmortem file) is delivered with. */
export type ThreadContext = Omit<ClosingDelivery, 'postmortems'>;

type Output =
  | { kind: 'custom'; seq: number; run: (thread: ThreadContext) => Promise<void> }
  | { kind: 'lines'; items: Array<{ seq: number; text: string }> }
  | { kind: 'post'; seq: number; message: RenderedMessage; broadcast: boolean }
  | { kind: 'cards'; seqs: number[]; groups: string[] };

export interface ThreadWriterInput {
  outbound: SlackOutbound;
  ledger: SlackLedger;
  log: Logger;
  vars: Variables;
  incidentId: string;
  channel: string;
  headerTs: string;
  book: DeliveryBook;
  state: IncidentState<Diagnosis>;
  runbook: Runbook | undefined;
  /** What each action needs ("1 of 2 approvals"), shown on its card. */
  policy?: ApprovalPolicy;
  /** The recovery checklist's record: the header shows the recovered time. */
  checklist?: RedisChecklistStore;
}

/**
 * One delivery of an incident's timeline into its thread. Entries are rendered first (`post`,
 * `line`, `offer`, `refreshCards`, `refreshHeader`), then `finish()` sends them in order: lines that
 * piled up (Slack down, a busy channel) share a message, cards share messages within 50 blocks,
 * and every message, card and header changed is updated once, with the state as it is now. Each
 * message is recorded before the next (attempt, then its `ts`), so a retry — here or on another
 * replica — never posts one twice.
 */
export class ThreadWriter {
  readonly cards: CardContext | undefined;
  private readonly outputs: Output[] = [];
  private readonly refresh = new Set<string>();
  private readonly newlyPending: string[] = [];
  private readonly pending: Set<string>;
  private readonly cardTs: Map<string, string>;
  private headerDirty = false;
  private refreshAll = false;
  private lastSeq = -1;

  constructor(private readonly input: ThreadWriterInput) {
    const { state, runbook, book, policy } = input;
    this.cards = runbook
      ? {
          incident: state.incident,
          runbook,
          states: new Map(state.actions.map((s) => [s.actionId, s])),
          diagnosis: state.diagnosis,
          revealed: book.revealed,
          ...(policy
            ? { requirement: (action: Action) => policy.requirement(state.incident, runbook, action) }
            : {}),
        }
      : undefined;
    this.pending = new Set(book.pending);
    this.cardTs = new Map(book.cards);
  }

  get incident() {
    return this.input.state.incident;
  }

  get runbook() {
    return this.input.runbook;
  }

  get diagnosis() {
    return this.input.state.diagnosis;
  }

  /** An entry that needs no message of its own (the header or a card already shows it). */
  skip(entry: TimelineEntry): void {
    this.seen(entry);
  }

  post(entry: TimelineEntry, message: RenderedMessage, broadcast = false): void {
    if (!this.seen(entry)) return;
    this.outputs.push({ kind: 'post', seq: entry.seq, message, broadcast });
  }

  /** A one-line entry; consecutive lines share a message (a broadcast one goes alone). */
  line(entry: TimelineEntry, text: string, broadcast = false): void {
    if (!this.seen(entry)) return;
    if (broadcast) {
      this.outputs.push({ kind: 'post', seq: entry.seq, message: lineMessage([text]), broadcast });
      return;
    }
    const last = this.outputs.at(-1);
    if (last?.kind === 'lines' && last.items.length < MAX_LINES_PER_MESSAGE)
      last.items.push({ seq: entry.seq, text });
    else this.outputs.push({ kind: 'lines', items: [{ seq: entry.seq, text }] });
  }

  /**
   * An entry whose message is its own business (the live checklist, posted once then updated; the
   * postmortem file): `run` is given the thread and an idempotent `post`, in the entry's turn.
   */
  custom(entry: TimelineEntry, run: (thread: ThreadContext) => Promise<void>): void {
    this.seen(entry);
    this.outputs.push({ kind: 'custom', seq: entry.seq, run });
  }

  /** A group offered: its card now if it is useful, or when it becomes so. */
  offer(entry: TimelineEntry, groupId: string): void {
    if (!this.seen(entry) || this.cardTs.has(groupId) || !this.cards) return;
    if (groupsToShow([groupId], this.cards).length === 0) {
      if (!this.pending.has(groupId)) this.newlyPending.push(groupId);
      this.pending.add(groupId);
      return;
    }
    const last = this.outputs.at(-1);
    if (last?.kind === 'cards') {
      last.groups.push(groupId);
      last.seqs.push(entry.seq);
    } else this.outputs.push({ kind: 'cards', seqs: [entry.seq], groups: [groupId] });
  }

  refreshCards(groupIds: readonly string[]): void {
    for (const id of groupIds) this.refresh.add(id);
  }

  /** The header shows the incident's status: re-rendered once at the end. */
  refreshHeader(): void {
    this.headerDirty = true;
  }

  /** Sends what the entries produced, in order, then the coalesced updates. */
  async finish(): Promise<void> {
    const { ledger, incidentId } = this.input;
    if (this.newlyPending.length > 0) await ledger.markPending(incidentId, this.newlyPending);
    // Cards that waited and are useful now (something was applied, someone asked): after the
    // entries that made them so.
    const late = this.cards ? groupsToShow(this.pending, this.cards).filter((g) => !this.cardTs.has(g)) : [];
    if (late.length > 0) this.outputs.push({ kind: 'cards', seqs: [], groups: late });
    for (const output of this.outputs) await this.send(output);
    // The list of cards not shown yet changed, or moved to the newest card message: refresh them.
    if (late.length > 0 || (this.newlyPending.length > 0 && this.input.book.cards.size > 0))
      this.refreshAll = true;
    await this.sendUpdates();
    if (this.lastSeq >= 0) await ledger.markDelivered(incidentId, this.lastSeq);
  }

  /** Marks everything seen as delivered without posting (the channel is gone or archived). */
  async abandon(): Promise<void> {
    if (this.lastSeq >= 0) await this.input.ledger.markDelivered(this.input.incidentId, this.lastSeq);
  }

  /** Notes the entry; false when it is already in the thread (a retried delivery). */
  private seen(entry: TimelineEntry): boolean {
    this.lastSeq = Math.max(this.lastSeq, entry.seq);
    return !this.input.book.posted.has(entry.seq);
  }

  private async send(output: Output): Promise<void> {
    switch (output.kind) {
      case 'custom': {
        const { outbound, ledger, log, vars, channel, headerTs, checklist } = this.input;
        await output.run({
          client: outbound.client,
          pacer: outbound.pacer,
          log,
          ledger,
          vars,
          ...(checklist ? { checklist } : {}),
          incident: this.incident,
          runbook: this.runbook,
          channel,
          headerTs,
          post: async (message, broadcast) => {
            const known = this.input.book.posted.get(output.seq);
            if (known) return known;
            return (await this.postOnce([output.seq], message, broadcast ? { broadcast } : {})).ts;
          },
        });
        return;
      }
      case 'post':
        await this.postOnce([output.seq], output.message, { broadcast: output.broadcast });
        return;
      case 'lines': {
        let items = output.items;
        while (items.length > 0) {
          const seqs = items.map((i) => i.seq);
          const covered = (await this.postOnce(seqs, lineMessage(items.map((i) => i.text)))).last;
          // An earlier attempt posted fewer of these lines (before a crash): post the rest now.
          items = items.filter((i) => i.seq > covered);
        }
        return;
      }
      case 'cards': {
        if (!this.cards) return;
        for (const groups of packCards(this.cards.runbook, output.groups)) {
          const seqs = output.seqs.filter((_, i) => groups.includes(output.groups[i] as string));
          const message = renderCardMessage(this.cards, groups, this.hiddenAfter(groups), this.input.vars);
          await this.postOnce(seqs, message, { cards: groups });
        }
      }
    }
  }

  /** Groups still waiting, listed on the message holding the last card shown. */
  private hiddenAfter(groups: readonly string[]): string[] {
    if (!this.cards) return [];
    const shown = new Set([...this.cardTs.keys(), ...groups]);
    const order = this.cards.runbook.groups.map((g) => g.id);
    const lastShown = order.filter((g) => shown.has(g)).at(-1);
    if (!lastShown || !groups.includes(lastShown)) return [];
    return order.filter((g) => this.pending.has(g) && !shown.has(g));
  }

  /**
   * Posts one message for these entries (or cards) unless an earlier attempt did, and records it.
   * Returns the message and the last seq it covers.
   */
  private async postOnce(
    seqs: readonly number[],
    message: RenderedMessage,
    options: { broadcast?: boolean; cards?: readonly string[] } = {},
  ): Promise<{ ts: string; last: number }> {
    const { outbound, ledger, incidentId, channel, headerTs, book } = this.input;
    const key = options.cards ? `cards-${options.cards[0]}` : String(seqs[0]);
    const since = book.attempts.get(key);
    await ledger.markAttempt(incidentId, key, Date.now());
    const posted = await outbound.post({
      channel,
      threadTs: headerTs,
      message,
      key,
      payload: {
        incident: incidentId,
        ...(seqs.length > 0 ? { first: seqs[0] ?? 0, last: seqs.at(-1) ?? 0 } : {}),
      },
      ...(options.broadcast ? { broadcast: true } : {}),
      ...(since !== undefined ? { since } : {}),
    });
    const last = typeof posted.payload.last === 'number' ? posted.payload.last : (seqs.at(-1) ?? -1);
    const covered = seqs.filter((s) => s <= last);
    // `next` moves only once the updates are in too (finish): a retry after a failed update finds
    // the entries again, skips their posts (recorded here) and redoes the updates.
    await ledger.markPosted(incidentId, covered, posted.ts, undefined, options.cards);
    for (const group of options.cards ?? []) this.cardTs.set(group, posted.ts);
    return { ts: posted.ts, last };
  }

  private async sendUpdates(): Promise<void> {
    const { outbound, channel, headerTs } = this.input;
    const updates: Promise<void>[] = [];
    if (this.cards) {
      const byMessage = new Map<string, string[]>();
      for (const [group, ts] of this.cardTs) byMessage.set(ts, [...(byMessage.get(ts) ?? []), group]);
      const wanted = this.refreshAll ? [...this.cardTs.keys()] : [...this.refresh];
      const messages = new Set(wanted.map((g) => this.cardTs.get(g)).filter((ts): ts is string => !!ts));
      const order = this.cards.runbook.groups.map((g) => g.id);
      for (const ts of messages) {
        const groups = order.filter((g) => byMessage.get(ts)?.includes(g));
        const message = renderCardMessage(this.cards, groups, this.hiddenAfter(groups), this.input.vars);
        updates.push(outbound.update(channel, ts, message));
      }
    }
    if (this.headerDirty) {
      const { checklist, vars } = this.input;
      const header = await headerMessage(
        { ...(checklist ? { checklist } : {}), vars },
        this.incident,
        this.runbook,
      );
      updates.push(outbound.update(channel, headerTs, header));
    }
    await Promise.all(updates);
  }

  /** Every card message is re-rendered at the end (resolved: buttons go away everywhere). */
  refreshEveryCard(): void {
    this.refreshAll = true;
  }
}

function lineMessage(lines: readonly string[]): RenderedMessage {
  return { text: lines.join('\n'), blocks: lines.map((line) => section(line)) };
}
