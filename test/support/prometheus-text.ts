/** One sample line of the Prometheus text format: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: its `# TYPE`, `# HELP` and the samples that belong to it (`_bucket`, `_sum`, … included). */
export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', '_info'];

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * Parses the Prometheus text exposition format (0.0.4, what prom-client writes) strictly enough for
 * tests: every sample must belong to a family declared by `# TYPE`, and a malformed line throws.
 */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const familyOf = (sample: string): Family | undefined => {
    if (families.has(sample)) return families.get(sample);
    const suffix = SUFFIXES.find((s) => sample.endsWith(s));
    return suffix ? families.get(sample.slice(0, -suffix.length)) : undefined;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      if (kind === 'TYPE') family.type = rest;
      else family.help = rest;
      families.set(name, family);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const [, name, labelText = '', rawValue] = match as unknown as [
      string,
      string,
      string | undefined,
      string,
    ];
    const family = familyOf(name);
    if (!family) throw new Error(`sample ${name} has no # TYPE line`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of labelText.matchAll(LABEL))
      labels[key as string] = unescapeLabel(value as string);
    // Like Prometheus' own parser (Go's ParseFloat): NaN and Inf in any case; prom-client writes `Nan`.
    const special: Record<string, number> = {
      nan: Number.NaN,
      '+inf': Infinity,
      inf: Infinity,
      '-inf': -Infinity,
    };
    const value = special[rawValue.toLowerCase()] ?? Number(rawValue);
    if (Number.isNaN(value) && rawValue.toLowerCase() !== 'nan') throw new Error(`bad value in: ${line}`);
    family.samples.push({ name, labels, value });
  }
  return families;
}

/** The samples of `family` whose labels include `labels`. */
export function samplesOf(
  families: Map<string, Family>,
  family: string,
  labels: Record<string, string> = {},
): Sample[] {
  return (families.get(family)?.samples ?? []).filter((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}
