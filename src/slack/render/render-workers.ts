import { formatDuration } from '../../executors/result-text.js';
import type { FleetStatus, WorkerView } from '../../incidents/worker-fleet.js';
import { escapeMrkdwn } from './blocks.js';

function serves(worker: WorkerView): string {
  const parts = [...worker.roles.map((r) => `role *${escapeMrkdwn(r)}*`)];
  if (worker.unplaced) parts.push('actions without a role');
  return parts.join(', ') || 'nothing';
}

function workerLine(worker: WorkerView): string {
  const where = `${worker.process === 'bot' ? 'the bot' : 'worker'} on ${escapeMrkdwn(worker.hostname)}, pid ${worker.pid}, v${escapeMrkdwn(worker.version)}`;
  if (!worker.live) {
    return `• :red_circle: *${escapeMrkdwn(worker.name)}* — ${serves(worker)} · gone: no heartbeat for ${formatDuration(worker.ageMs)} (${where})`;
  }
  const programs =
    worker.allowedPrograms.length > 0 ? escapeMrkdwn(worker.allowedPrograms.join(', ')) : 'none';
  return `• :large_green_circle: *${escapeMrkdwn(worker.name)}* — ${serves(worker)} · ${where} · seen ${formatDuration(worker.ageMs)} ago · programs: ${programs}`;
}

/** `/incident workers`: every registered worker, live ones first, then what is wrong. */
export function renderWorkers(status: FleetStatus): string {
  const live = status.workers.filter((w) => w.live).length;
  const lines = [
    `*Workers* — ${live} live${status.workers.length > live ? `, ${status.workers.length - live} gone` : ''}`,
  ];
  if (status.workers.length === 0) lines.push('No worker has registered.');
  lines.push(...status.workers.map(workerLine));
  lines.push(...status.problems.map((p) => `:warning: ${escapeMrkdwn(p)}`));
  return lines.join('\n');
}
