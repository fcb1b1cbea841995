import { formatBytes } from '../../quantity';
import type { ContainerModel, StringItem } from '../model';
import type { Severity } from '../findingTypes';
import { who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'heap-exceeds-limit';
const JVM_ENV = new Set(['JAVA_OPTS', 'JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', '_JAVA_OPTIONS']);
const JVM_UNITS: Record<string, bigint> = { '': 1n, k: 1024n, m: 1024n ** 2n, g: 1024n ** 3n, t: 1024n ** 4n };
const GO_UNITS: Record<string, bigint> = {
  '': 1n,
  B: 1n,
  KiB: 1024n,
  MiB: 1024n ** 2n,
  GiB: 1024n ** 3n,
  TiB: 1024n ** 4n,
};

interface HeapSetting {
  what: string;
  /** Heap bytes; null for a percentage setting. */
  bytes: bigint | null;
  percent: number | null;
  go: boolean;
  start: number;
  end: number;
}

/** Offset of character `i` of a scalar's value in the text, when the value maps 1:1 onto its source. */
function locate(text: string, item: StringItem, i: number, len: number): [number, number] {
  const src = text.slice(item.start, item.end);
  if (src === item.value) return [item.start + i, item.start + i + len];
  if (src.length === item.value.length + 2 && src.slice(1, -1) === item.value)
    return [item.start + 1 + i, item.start + 1 + i + len];
  return [item.start, item.end];
}

function scan(text: string, item: StringItem, jvm: boolean, node: boolean): HeapSetting[] {
  const out: HeapSetting[] = [];
  const v = item.value;
  if (jvm) {
    for (const m of v.matchAll(/-(Xmx|XX:MaxHeapSize=)([0-9]+)([kKmMgGtT]?)(?![0-9A-Za-z])/g)) {
      const [s, e] = locate(text, item, m.index, m[0].length);
      out.push({
        what: `JVM ${m[0]}`,
        bytes: BigInt(m[2]!) * JVM_UNITS[m[3]!.toLowerCase()]!,
        percent: null,
        go: false,
        start: s,
        end: e,
      });
    }
    for (const m of v.matchAll(/-XX:MaxRAMPercentage=([0-9]+(?:\.[0-9]+)?)/g)) {
      const [s, e] = locate(text, item, m.index, m[0].length);
      out.push({ what: `JVM ${m[0]}`, bytes: null, percent: Number(m[1]), go: false, start: s, end: e });
    }
  }
  if (node) {
    for (const m of v.matchAll(/--max[-_]old[-_]space[-_]size(?:=|\s+)([0-9]+)(?![0-9])/g)) {
      const [s, e] = locate(text, item, m.index, m[0].length);
      out.push({
        what: `Node.js ${m[0]}`,
        bytes: BigInt(m[1]!) * 1024n * 1024n,
        percent: null,
        go: false,
        start: s,
        end: e,
      });
    }
  }
  return out;
}

function settingsOf(text: string, c: ContainerModel): HeapSetting[] {
  const out: HeapSetting[] = [];
  for (const item of [...c.command, ...c.args]) out.push(...scan(text, item, true, true));
  for (const env of c.env) {
    if (env.value === null) continue;
    const item: StringItem = { value: env.value, start: env.valueStart, end: env.valueEnd };
    if (JVM_ENV.has(env.name)) out.push(...scan(text, item, true, false));
    else if (env.name === 'NODE_OPTIONS') out.push(...scan(text, item, false, true));
    else if (env.name === 'GOMEMLIMIT') {
      const m = /^\s*([0-9]+)(B|KiB|MiB|GiB|TiB)?\s*$/.exec(env.value);
      if (m)
        out.push({
          what: `GOMEMLIMIT=${env.value.trim()}`,
          bytes: BigInt(m[1]!) * GO_UNITS[m[2] ?? '']!,
          percent: null,
          go: true,
          start: env.valueStart,
          end: env.valueEnd,
        });
    }
  }
  return out;
}

/** The rule's judgement of one byte-sized heap setting against a limit: error when the heap reaches the limit, warning above 75% (not for Go, whose GOMEMLIMIT is a soft target). */
function verdict(h: HeapSetting & { bytes: bigint }, lim: bigint): Severity | null {
  if (h.bytes >= lim) return 'error';
  if (!h.go && h.bytes * 4n > lim * 3n) return 'warning';
  return null;
}

/**
 * What this rule needs of a memory limit for container `c`, for quick fixes that set one:
 * from `noError` on it reports no error, from `quiet` on nothing (the inverse of `verdict`).
 * Null when the container has no byte-sized heap setting (a percentage does not depend on the limit).
 */
export function heapRoom(text: string, c: ContainerModel): { what: string; noError: bigint; quiet: bigint } | null {
  let room: { what: string; noError: bigint; quiet: bigint } | null = null;
  for (const h of settingsOf(text, c)) {
    if (h.bytes === null) continue;
    const noError = h.bytes + 1n;
    const quiet = h.go ? noError : (h.bytes * 4n + 2n) / 3n;
    if (!room || quiet > room.quiet)
      room = { what: h.what, noError: room && room.noError > noError ? room.noError : noError, quiet };
    else if (noError > room.noError) room.noError = noError;
  }
  return room;
}

export const heapExceedsLimit = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Runtime heap setting too close to the memory limit',
  severityNote: 'error when the heap is at or above the limit',
  firesWhen:
    'JVM `-Xmx`/`MaxHeapSize`/`MaxRAMPercentage`, Node.js `--max-old-space-size` or Go `GOMEMLIMIT` above 75% of (or at) the memory limit',
  quickFix: null,
  check(ctx: RuleContext): void {
    const podLimit = ctx.object.podSpec.resources?.limits?.memory;
    for (const c of ctx.object.podSpec.containers) {
      const own = c.resources?.limits?.memory;
      const lim =
        own && !own.templated && own.bytes !== null
          ? own.bytes
          : podLimit && !podLimit.templated
            ? podLimit.bytes
            : null;
      if (lim === null || lim <= 0n) continue;
      const limitWord = own?.bytes != null ? 'memory limit' : 'pod-level memory limit';
      for (const h of settingsOf(ctx.text, c)) {
        let severity: Severity;
        let message: string;
        if (h.percent !== null) {
          if (!(h.percent > 90)) continue;
          severity = h.percent >= 100 ? 'error' : 'warning';
          message = `${h.what} in ${who(c)} lets the heap take ${h.percent}% of its ${limitWord} ${formatBytes(lim)}, leaving too little for metaspace, thread stacks, code cache and native memory: a likely OOM kill under load.`;
        } else if (h.bytes !== null) {
          const pct = Number((h.bytes * 1000n) / lim) / 10;
          const v = verdict({ ...h, bytes: h.bytes }, lim);
          if (v === 'error') {
            severity = 'error';
            message = `${h.what} (${formatBytes(h.bytes)}) in ${who(c)} is ${h.bytes === lim ? 'equal to' : 'larger than'} its ${limitWord} ${formatBytes(lim)}: ${h.go ? 'the Go runtime lets memory grow right up to the cgroup limit, with no room for anything it does not manage' : 'the heap alone can fill the limit'}, so the container is OOM-killed under load.`;
          } else if (v === 'warning') {
            severity = 'warning';
            message = `${h.what} (${formatBytes(h.bytes)}) in ${who(c)} is ${pct}% of its ${limitWord} ${formatBytes(lim)}: heap plus metaspace, thread stacks, GC and native memory can exceed the limit, a likely OOM kill under load (keep the heap at or below 75%).`;
          } else continue;
        } else continue;
        ctx.report({ start: h.start, end: h.end, message, container: c, severity });
      }
    }
  },
});
