/** A small parser for the Prometheus text exposition format (0.0.4), as served by cAdvisor. */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Epoch ms when the line carries a timestamp. */
  timestamp: number | null;
}

function parseValue(s: string): number | null {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  return Number(s);
}

/** Parses `{a="x",b="y\"z"}` starting at `i` (the `{`); returns labels and the index after `}`, or null. */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } | null {
  const labels: Record<string, string> = {};
  i++;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const nm = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i, i + 256));
    if (!nm) return null;
    i += nm[0].length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=') return null;
    i++;
    while (line[i] === ' ') i++;
    if (line[i] !== '"') return null;
    i++;
    let v = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) return null;
      if (c === '\\') {
        const n = line[i + 1];
        v += n === 'n' ? '\n' : (n ?? '');
        i += 2;
        continue;
      }
      if (c === '"') break;
      v += c;
      i++;
    }
    i++;
    labels[nm[0]] = v;
  }
}

/**
 * Parses every sample line; comments, blank lines and malformed lines are skipped.
 * `only` keeps just the metric names it contains (faster on big scrapes).
 */
export function parsePrometheusText(text: string, only?: ReadonlySet<string>): PromSample[] {
  const out: PromSample[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    const nm = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nm) continue;
    const name = nm[0];
    if (only && !only.has(name)) continue;
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') {
      const l = parseLabels(line, i);
      if (!l) continue;
      labels = l.labels;
      i = l.end;
    }
    const rest = line.slice(i).trim().split(/\s+/);
    const value = rest[0] !== undefined ? parseValue(rest[0]) : null;
    if (value === null) continue;
    const ts = rest[1] !== undefined && /^-?\d+$/.test(rest[1]) ? Number(rest[1]) : null;
    out.push({ name, labels, value, timestamp: ts });
  }
  return out;
}
