/**
 * One label matcher of an alert trigger, in Alertmanager's own syntax (`job="generation-service"`,
 * `severity=~"critical|page"`, `env!=staging`), so an operator writes it as in alertmanager.yml.
 */
export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

// A quoted value may hold escaped quotes (`"a\"b"`); an unquoted one runs to the end, without spaces.
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

/** What a runbook author reads when a matcher does not parse. */
export const LABEL_MATCHER_HINT = 'a label matcher like job="generation-service" (operators =, !=, =~, !~)';

/**
 * Parses one matcher; a string is the reason it is not one. A regex value is anchored at both ends
 * as Alertmanager anchors it, so `=~"crit"` does not match `critical`.
 */
export function parseLabelMatcher(text: string): LabelMatcher | string {
  const match = MATCHER.exec(text);
  if (!match) return `"${text}" is not ${LABEL_MATCHER_HINT}`;
  const [, label = '', op = '=', quoted, bare] = match;
  const value = quoted === undefined ? (bare ?? '') : quoted.replace(/\\(.)/g, '$1');
  if (op === '=~' || op === '!~') {
    try {
      new RegExp(`^(?:${value})$`, 'u');
    } catch (err) {
      return `"${text}": ${value} is not a valid regular expression (${(err as Error).message})`;
    }
  }
  return { label, op: op as LabelMatcher['op'], value };
}

/**
 * Whether `labels` satisfy the matcher. A missing label counts as the empty string, as in
 * Alertmanager: `team=""` matches alerts without a team and `team!=""` requires one.
 */
export function matchesLabel(matcher: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`, 'u').test(actual);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`, 'u').test(actual);
  }
}
