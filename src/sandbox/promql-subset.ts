/** A series in an instant-vector answer; `value` is formatted by the HTTP layer. */
export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

/** A counter series the stand-in knows about, with its rate over a window. */
export interface CounterSeries {
  labels: Record<string, string>;
  value(): number;
  rate(windowMs: number): number;
  /** Its increase over the window; without it, `rate × window`. */
  increase?(windowMs: number): number;
}

/** What queries can see: per-metric series (`__name__` included in `labels`). */
export interface PromSource {
  counters(): CounterSeries[];
  gauges(): { labels: Record<string, string>; value: number }[];
}

const DURATION_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

type Matcher = (labels: Record<string, string>) => boolean;

function parseMatchers(text: string): Matcher[] | null {
  const matchers: Matcher[] = [];
  const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"(,|$)/y;
  while (pattern.lastIndex < text.length) {
    const match = pattern.exec(text);
    if (!match) return null;
    const [, name = '', op, expected = ''] = match;
    const anchored = op === '=~' || op === '!~' ? new RegExp(`^(?:${expected})$`) : null;
    matchers.push((labels) => {
      const actual = labels[name] ?? '';
      if (anchored) return anchored.test(actual) === (op === '=~');
      return (actual === expected) === (op === '=');
    });
  }
  return matchers;
}

/** `name{matchers}` → a filter over series labels, or null when it is not a selector. */
function parseSelector(text: string): Matcher | null {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/.exec(text);
  if (!match) return null;
  const matchers = parseMatchers(match[2] ?? '');
  if (!matchers) return null;
  const name = match[1];
  return (labels) => labels.__name__ === name && matchers.every((m) => m(labels));
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  const { __name__: _dropped, ...rest } = labels;
  return rest;
}

/** Index of the last of `chars` outside parentheses, braces, brackets and quotes; -1 when absent. */
function lastTopLevelIndex(text: string, chars: string): number {
  let depth = 0;
  let quoted = false;
  let found = -1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(' || c === '{' || c === '[') depth += 1;
    else if (c === ')' || c === '}' || c === ']') depth -= 1;
    else if (depth === 0 && chars.includes(c)) found = i;
  }
  return found;
}

/** Whether parentheses pair up without ever closing more than were opened. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth += 1;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

function stripOuterParens(text: string): string {
  let current = text;
  // "(a)/(b)" starts and ends with a paren without being wrapped in one pair: its inside is unbalanced.
  while (current.startsWith('(') && current.endsWith(')') && balanced(current.slice(1, -1))) {
    current = current.slice(1, -1);
  }
  return current;
}

const LITERAL = /^\d+(?:\.\d+)?$/;

const COMPARISONS = {
  '==': (a: number, b: number) => a === b,
  '!=': (a: number, b: number) => a !== b,
  '>=': (a: number, b: number) => a >= b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '<': (a: number, b: number) => a < b,
} as const;
type Comparison = keyof typeof COMPARISONS;

/** A top-level `expr <op> number`, as in the runbook's alert rules; comparisons bind loosest. */
function splitComparison(expr: string): { left: string; op: Comparison; right: string } | null {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < expr.length; i += 1) {
    const c = expr[i] ?? '';
    if (c === '"' && expr[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(' || c === '{' || c === '[') depth += 1;
    else if (c === ')' || c === '}' || c === ']') depth -= 1;
    if (depth !== 0) continue;
    const op = (Object.keys(COMPARISONS) as Comparison[]).find((candidate) => expr.startsWith(candidate, i));
    if (op) return { left: expr.slice(0, i), op, right: expr.slice(i + op.length) };
  }
  return null;
}

const ARITHMETIC = {
  '+': (a: number, b: number) => a + b,
  '-': (a: number, b: number) => a - b,
  '*': (a: number, b: number) => a * b,
  '/': (a: number, b: number) => a / b,
} as const;
type Arithmetic = keyof typeof ARITHMETIC;

/**
 * `a <op> b` for `+ - * /`, left-associative as in PromQL. With a number on one side every series
 * is scaled; two vectors must be one series each. As in PromQL, arithmetic drops the metric name.
 */
function evaluateBinary(expr: string, at: number, source: PromSource): VectorSample[] | null {
  const apply = ARITHMETIC[expr[at] as Arithmetic];
  const leftText = expr.slice(0, at);
  const rightText = expr.slice(at + 1);
  const [leftLiteral, rightLiteral] = [LITERAL.test(leftText), LITERAL.test(rightText)];
  // A scalar result (`1 - 0.5`) is not an instant vector; no runbook query needs one.
  if (leftLiteral && rightLiteral) return null;
  if (leftLiteral || rightLiteral) {
    const scalar = Number(leftLiteral ? leftText : rightText);
    const vector = evaluate(leftLiteral ? rightText : leftText, source);
    return (
      vector?.map((s) => ({
        metric: withoutName(s.metric),
        value: leftLiteral ? apply(scalar, s.value) : apply(s.value, scalar),
      })) ?? null
    );
  }
  const left = evaluate(leftText, source);
  const right = evaluate(rightText, source);
  // Only one-series operands: PromQL's label matching between many series is beyond this stand-in.
  if (left === null || right === null || left.length > 1 || right.length > 1) return null;
  const [l] = left;
  const [r] = right;
  if (!l || !r) return [];
  const labels = withoutName(l.metric);
  const sameLabels = JSON.stringify(labels) === JSON.stringify(withoutName(r.metric));
  return [{ metric: sameLabels ? labels : {}, value: apply(l.value, r.value) }];
}

const AGGREGATIONS = {
  sum: (values: number[]) => values.reduce((total, v) => total + v, 0),
  avg: (values: number[]) => values.reduce((total, v) => total + v, 0) / values.length,
  min: (values: number[]) => Math.min(...values),
  max: (values: number[]) => Math.max(...values),
  count: (values: number[]) => values.length,
} as const;
type Aggregation = keyof typeof AGGREGATIONS;

/** Index of the `)` that closes the `(` at `open`, outside quotes; -1 when it is not closed. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth += 1;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** `avg(e)`, `sum by (l) (e)`, `max(e) by (l)`: the operator, the grouping labels and the operand. */
function parseAggregation(expr: string): { op: Aggregation; by: string[]; inner: string } | null {
  const head = /^(sum|avg|min|max|count)(?:by\(([\w,]*)\))?\(/.exec(expr);
  if (!head) return null;
  const open = head[0].length - 1;
  const close = closingParen(expr, open);
  if (close < 0) return null;
  const rest = expr.slice(close + 1);
  const suffix = /^by\(([\w,]*)\)$/.exec(rest);
  if ((rest !== '' && !suffix) || (suffix && head[2] !== undefined)) return null;
  const by = (head[2] ?? suffix?.[1] ?? '').split(',').filter(Boolean);
  return { op: head[1] as Aggregation, by, inner: expr.slice(open + 1, close) };
}

function aggregate(spec: { op: Aggregation; by: string[] }, inner: VectorSample[]): VectorSample[] {
  const groups = new Map<string, { metric: Record<string, string>; values: number[] }>();
  for (const sample of inner) {
    const metric = Object.fromEntries(
      spec.by.flatMap((label) => (sample.metric[label] === undefined ? [] : [[label, sample.metric[label]]])),
    );
    const key = JSON.stringify(metric);
    const group = groups.get(key) ?? { metric, values: [] };
    group.values.push(sample.value);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ metric: g.metric, value: AGGREGATIONS[spec.op](g.values) }));
}

function evaluate(text: string, source: PromSource): VectorSample[] | null {
  const expr = stripOuterParens(text);
  if (expr === '') return null;

  const comparison = splitComparison(expr);
  if (comparison) {
    // PromQL filters a vector compared with a scalar: series for which it holds keep their value.
    if (!LITERAL.test(comparison.right)) return null;
    const threshold = Number(comparison.right);
    const test = COMPARISONS[comparison.op];
    return evaluate(comparison.left, source)?.filter((s) => test(s.value, threshold)) ?? null;
  }

  // Additive operators bind looser than multiplicative ones, so they split the expression first.
  for (const operators of ['+-', '/*']) {
    const at = lastTopLevelIndex(expr, operators);
    if (at > 0) return evaluateBinary(expr, at, source);
  }

  const aggregation = parseAggregation(expr);
  if (aggregation) {
    const inner = evaluate(aggregation.inner, source);
    return inner === null ? null : aggregate(aggregation, inner);
  }

  const rate = /^(rate|increase)\((.+)\[(\d+)(ms|s|m|h|d|w)\]\)$/.exec(expr);
  if (rate) {
    const selector = parseSelector(rate[2] ?? '');
    if (!selector) return null;
    const windowMs = Number(rate[3]) * DURATION_MS[(rate[4] ?? 's') as keyof typeof DURATION_MS];
    const of = (s: CounterSeries) =>
      rate[1] === 'rate'
        ? s.rate(windowMs)
        : (s.increase?.(windowMs) ?? (s.rate(windowMs) * windowMs) / 1000);
    return source
      .counters()
      .filter((s) => selector(s.labels))
      .map((s) => ({ metric: withoutName(s.labels), value: of(s) }));
  }

  const selector = parseSelector(expr);
  if (!selector) return null;
  return [...source.counters().map((s) => ({ labels: s.labels, value: s.value() })), ...source.gauges()]
    .filter((s) => selector(s.labels))
    .map((s) => ({ metric: { ...s.labels }, value: s.value }));
}

/**
 * Evaluates the few PromQL shapes the runbook, its alerts and the usual node_exporter panels use: a
 * selector, `rate(sel[d])`, `increase(sel[d])`, `sum`/`avg`/`min`/`max`/`count` with an optional `by (…)`, `+ - * /`
 * between a vector and a number or two single-series expressions, and filtering by a comparison
 * with a number (`... > 20`, `up{...} == 0`), e.g.
 * `100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[1m])))`. Whitespace is ignored. Returns null for anything else so the caller can answer Prometheus' `bad_data` error.
 */
export function evaluateQuery(query: string, source: PromSource): VectorSample[] | null {
  try {
    return evaluate(query.replace(/\s+/g, ''), source);
  } catch {
    // A user regex in a matcher can be invalid; that is a query we do not understand.
    return null;
  }
}
