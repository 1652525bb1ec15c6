import type { ViewSubmissionAnswer } from './fake-slack-types.js';
import type { FakeWorkspace } from './fake-workspace.js';
import { checkView } from './view-json.js';
import { closeFrom, MAX_STACK, replaceView, stackModal } from './view-methods.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The bot's HTTP reply to a `view_submission`, read as Slack reads it. Throws where Slack would show the
 * user "We had some trouble connecting" instead: a status other than 200, a body that is not JSON, an
 * unknown `response_action`, or one without the fields it needs.
 */
export function parseViewSubmissionAnswer(reply: { status: number; body: string }): ViewSubmissionAnswer {
  const fault = (why: string) =>
    new Error(`Slack would refuse this view_submission answer (${why}): ${reply.status} ${reply.body}`);
  if (reply.status !== 200) throw fault('not a 200');
  if (reply.body.trim() === '') return { response_action: 'none' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    throw fault('the body is not JSON');
  }
  if (!isObj(parsed)) throw fault('the body is not a JSON object');
  const action = parsed.response_action;
  if (action === undefined) return { response_action: 'none' };
  if (action === 'clear') return { response_action: 'clear' };
  if (action === 'errors') {
    const errors = parsed.errors;
    if (!isObj(errors) || !Object.values(errors).every((e) => typeof e === 'string'))
      throw fault('`errors` must map block_ids to messages');
    return { response_action: 'errors', errors: errors as Record<string, string> };
  }
  if (action === 'update' || action === 'push') {
    if (!isObj(parsed.view)) throw fault(`\`${action}\` needs a \`view\``);
    return { response_action: action, view: parsed.view };
  }
  throw fault(`unknown response_action ${JSON.stringify(action)}`);
}

/** Applies the answer to the submitted view as Slack does (see `FakeSlack.applyViewSubmissionAnswer`). */
export function applyViewSubmissionAnswer(
  ws: FakeWorkspace,
  viewId: string,
  reply: { status: number; body: string },
): ViewSubmissionAnswer {
  const record = ws.views.get(viewId);
  if (record?.view.type !== 'modal') throw new Error(`applyViewSubmissionAnswer: no modal ${viewId}`);
  if (!record.open) throw new Error(`applyViewSubmissionAnswer: modal ${viewId} is already closed`);
  const answer = parseViewSubmissionAnswer(reply);
  const refusedView = (raw: Obj) => {
    const refused = checkView(raw, ['modal']);
    if (refused)
      throw new Error(`Slack would refuse the ${answer.response_action}ed view: ${JSON.stringify(refused)}`);
  };
  switch (answer.response_action) {
    case 'none':
      closeFrom(ws, record.userId, viewId);
      break;
    case 'clear':
      closeFrom(ws, record.userId, ws.modalStacks.get(record.userId)?.[0] ?? viewId);
      break;
    case 'errors': {
      const inputs = new Set(record.view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id));
      const unknown = Object.keys(answer.errors).filter((id) => !inputs.has(id));
      if (unknown.length > 0)
        throw new Error(`Slack shows errors only on input blocks; not inputs here: ${unknown.join(', ')}`);
      record.errors = { ...answer.errors };
      break;
    }
    case 'update':
      refusedView(answer.view);
      replaceView(ws, record, answer.view);
      break;
    case 'push':
      refusedView(answer.view);
      if ((ws.modalStacks.get(record.userId)?.length ?? 0) >= MAX_STACK)
        throw new Error(
          `Slack would refuse the push: ${MAX_STACK} views are already stacked (push_limit_reached)`,
        );
      stackModal(ws, record.userId, answer.view, false);
      break;
  }
  return answer;
}
