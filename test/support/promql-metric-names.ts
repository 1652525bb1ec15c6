/**
 * The metric names a PromQL expression reads — enough of PromQL for dashboards: strings, label
 * matchers, range and subquery brackets, grouping clauses (`by`, `without`, `on`, `ignoring`,
 * `group_left`, `group_right`) and function calls are removed; what is left and looks like a name is one.
 */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
  'atan2',
  'inf',
  'nan',
]);

export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    // Grafana's own variables ($__rate_interval, $job) are not metrics.
    .replace(/\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const after = stripped.slice((match.index ?? 0) + name.length);
    if (/^\s*\(/.test(after)) continue; // a function or aggregation
    if (KEYWORDS.has(name.toLowerCase())) continue;
    // Exponents of numbers (1e3) are not names.
    if (/\d$/.test(stripped.slice(0, match.index ?? 0)) && /^e\d*$/i.test(name)) continue;
    names.add(name);
  }
  return [...names];
}
