import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { prometheusRulesText } from '../alerts/prometheus-rules.js';
import { isFirebreakError } from '../errors.js';
import { describeRunbook } from '../runbooks/describe-runbook.js';
import { loadRunbooks, parseRunbook } from '../runbooks/load-runbooks.js';
import { actionsWithoutUndo } from '../runbooks/undo-coverage.js';
import type { CliIo } from './cli-io.js';
import { printPostmortem } from './print-postmortem.js';

export type { CliIo } from './cli-io.js';

const USAGE = `Usage: firebreak <command>

Commands:
  validate [dir]            Check every runbook (*.yaml) in dir (default: commands)
  show <kind> [--dir dir]   Print the plan of one runbook, e.g. "firebreak show 503"
  postmortem <id> [--write] Print an incident's postmortem (REDIS_URL, REDIS_PREFIX); --write rewrites it first
  rules [--dir dir] [--out file]
                            Write the Prometheus rule file of every runbook's alerts
                            (stdout, or file; the shipped one is prometheus/alerts.yml)
  help                      Show this message

Exit status: 0 ok, 1 invalid runbook or unknown kind, 2 usage error.`;

const DEFAULT_DIR = 'commands';

/**
 * Validates each file in name order, printing `ok <file> (<kind>: N actions, M probes)`, and stops
 * at the first broken one with the loader's message (file, line, field, expectation). The same
 * rules as `loadRunbooks`, file by file, so a person sees how far it got.
 */
async function validate(dir: string, io: CliIo): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    io.err(`cannot read runbook directory ${dir}`);
    return 1;
  }
  if (names.length === 0) {
    io.err(`no runbooks (*.yaml) in ${dir}`);
    return 1;
  }
  const fileOfKind = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    const display = relative(process.cwd(), path) || path;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      io.err(`cannot read ${display}`);
      return 1;
    }
    try {
      const runbook = parseRunbook(text, display);
      const previous = fileOfKind.get(runbook.kind);
      if (previous) {
        io.err(`${display}: kind "${runbook.kind}" is also defined in ${previous}`);
        return 1;
      }
      fileOfKind.set(runbook.kind, display);
      io.out(
        `ok ${display} (${runbook.kind}: ${runbook.actions.length} actions, ${runbook.probes.length} probes)`,
      );
      // Valid, but a change with no way back should be a decision, not an omission.
      for (const action of actionsWithoutUndo(runbook)) {
        io.err(
          `warning ${display}: action "${action.id}" has no undo: name one, or say why with undo: { none: … }`,
        );
      }
    } catch (err) {
      if (!isFirebreakError(err, 'runbook_invalid')) throw err;
      io.err(err.message);
      return 1;
    }
  }
  return 0;
}

async function show(kind: string, dir: string, io: CliIo): Promise<number> {
  try {
    const catalog = await loadRunbooks(dir);
    const runbook = catalog.get(kind);
    if (!runbook) {
      io.err(`unknown incident kind "${kind}": known kinds are ${[...catalog.keys()].join(', ')}`);
      return 1;
    }
    io.out(describeRunbook(runbook).trimEnd());
    return 0;
  } catch (err) {
    if (!isFirebreakError(err, 'runbook_invalid')) throw err;
    io.err(err.message);
    return 1;
  }
}

/** The Prometheus rule file from every runbook's alerts, to stdout or to `out`. */
async function rules(dir: string, out: string | undefined, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = prometheusRulesText(await loadRunbooks(dir));
  } catch (err) {
    if (!isFirebreakError(err, 'runbook_invalid')) throw err;
    io.err(err.message);
    return 1;
  }
  if (out === undefined) {
    io.out(text.trimEnd());
    return 0;
  }
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, text);
  } catch (err) {
    io.err(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return 1;
  }
  io.out(`wrote ${out}`);
  return 0;
}

function usageError(io: CliIo, problem?: string): number {
  if (problem) io.err(`firebreak: ${problem}`);
  io.err(USAGE);
  return 2;
}

/** The whole CLI: returns the exit status instead of exiting, so it can be called in tests. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    // parseArgs throws a TypeError naming the unknown option or missing value.
    return usageError(io, err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.out(USAGE);
    return 2;
  }
  if (command === 'validate' && rest.length <= 1) return validate(rest[0] ?? values.dir ?? DEFAULT_DIR, io);
  if (command === 'show' && rest.length === 1 && rest[0]) return show(rest[0], values.dir ?? DEFAULT_DIR, io);
  if (command === 'postmortem' && rest.length === 1 && rest[0]) {
    return printPostmortem(
      rest[0],
      { write: values.write ?? false, ...(values.dir ? { dir: values.dir } : {}) },
      io,
      env,
    );
  }
  if (command === 'postmortem')
    return usageError(io, 'postmortem needs one incident id, e.g. "firebreak postmortem 20261125-503-k3f9"');
  if (command === 'rules' && rest.length === 0) return rules(values.dir ?? DEFAULT_DIR, values.out, io);
  if (command === 'rules') return usageError(io, 'rules takes no arguments: use --dir and --out');
  if (command === 'show')
    return usageError(io, 'show needs exactly one incident kind, e.g. "firebreak show 503"');
  if (command === 'validate') return usageError(io, 'validate takes at most one directory');
  return usageError(io, `unknown command "${command}"`);
}

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      dir: { type: 'string', short: 'd' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
      write: { type: 'boolean' },
    },
  });
}

// Run as a program (bin/firebreak.js, `npm run firebreak`), not when a test imports runCli.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const io: CliIo = { out: (line) => console.log(line), err: (line) => console.error(line) };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
