/**
 * Record unwrapping: one raw input line (a /dev/kmsg record, a `journalctl -o json` object, a
 * `kubectl get events` row, a line pasted from Markdown or chat) → the text of the log line it
 * carries, plus the stamps only the record gives. What is left (dmesg, syslog, journal prefixes)
 * is read by splitKernelLine (kernelLogLine.ts). Detected per line, so mixed input is read whole.
 * Also: the month table of `dmesg -T` / journal stamps in common locales, and the year rule for
 * stamps without a year (docs/cli.md "Formats").
 */

/** A record unwrapped: the log line inside it, and the stamps the wrapper itself carried. */
export interface UnwrappedRecord {
  text: string;
  /** Epoch ms from the record (journal JSON `__REALTIME_TIMESTAMP`). */
  wallMs: number | null;
  /** Seconds since boot from the record (kmsg usec field, journal JSON `_SOURCE_MONOTONIC_TIMESTAMP`). */
  monotonicSeconds: number | null;
}

/**
 * Month abbreviations as `%b` prints them (glibc locales), lower case, trailing dots removed:
 * en, de, fr, es, it, pt, nl, sv/da/nb, pl, cs, ru (genitive and nominative), uk, tr, fi, hu.
 * A word of one locale never names another month in a second one, so no locale has to be chosen.
 */
const MONTH_WORDS: readonly (readonly string[])[] = [
  ['jan', 'januar', 'janv', 'ene', 'gen', 'sty', 'led', 'янв', 'січ', 'oca', 'tammi'],
  ['feb', 'febr', 'févr', 'fév', 'fev', 'lut', 'úno', 'фев', 'лют', 'şub', 'helmi'],
  ['mar', 'mär', 'mrz', 'mars', 'mrt', 'bře', 'мар', 'бер', 'maalis', 'márc'],
  ['apr', 'avr', 'abr', 'kwi', 'dub', 'апр', 'кві', 'nis', 'huhti', 'ápr'],
  ['may', 'mai', 'mag', 'mei', 'maj', 'kvě', 'мая', 'май', 'тра', 'touko', 'máj'],
  ['jun', 'juin', 'giu', 'cze', 'čvn', 'июн', 'чер', 'haz', 'kesä', 'jún'],
  ['jul', 'juil', 'lug', 'lip', 'čvc', 'июл', 'лип', 'tem', 'heinä', 'júl'],
  ['aug', 'août', 'ago', 'sie', 'srp', 'авг', 'сер', 'ağu', 'elo'],
  ['sep', 'sept', 'set', 'wrz', 'zář', 'сен', 'вер', 'eyl', 'syys', 'szept'],
  ['oct', 'okt', 'ott', 'out', 'paź', 'říj', 'окт', 'жов', 'eki', 'loka'],
  ['nov', 'lis', 'ноя', 'kas', 'marras'],
  ['dec', 'dez', 'déc', 'dic', 'gru', 'pro', 'дек', 'гру', 'ara', 'joulu'],
];
const MONTH_OF = new Map<string, number>(MONTH_WORDS.flatMap((words, m) => words.map((w) => [w, m] as const)));

/** 0-11 for a month word in any locale of the table (`Mär`, `mars`, `апр`, `3月`), null when unknown. */
export function monthIndex(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  const n = /^(\d{1,2})(?:月|월)?$/.exec(w);
  if (n) return +n[1]! >= 1 && +n[1]! <= 12 ? +n[1]! - 1 : null;
  return MONTH_OF.get(w) ?? null;
}

/** Clock skew and time zones: a stamp up to this far after `now` still counts as not in the future. */
const FUTURE_SLACK_MS = 26 * 3600 * 1000;

/**
 * Epoch ms of a stamp that prints no year (syslog, journal `short`): `year` when given (--year),
 * else the latest year that does not put it after `nowMs` (a December line read in January is
 * last year's). Wall time is taken as UTC, like every stamp without a zone; the slack covers the
 * zones. null without a year or a `now`.
 */
export function yearlessStamp(
  month: number,
  day: number,
  h: number,
  min: number,
  s: number,
  ms: number,
  year: number | undefined,
  nowMs: number | undefined,
): number | null {
  if (year !== undefined) return Date.UTC(year, month, day, h, min, s, ms);
  if (nowMs === undefined) return null;
  const y0 = new Date(nowMs).getUTCFullYear();
  // Feb 29 exists once in four (or eight) years: look back that far at most.
  for (let y = y0; y > y0 - 9; y--) {
    const t = Date.UTC(y, month, day, h, min, s, ms);
    if (new Date(t).getUTCDate() !== day) continue;
    if (t <= nowMs + FUTURE_SLACK_MS) return t;
  }
  return null;
}

/**
 * /dev/kmsg: `prio,seq,usec,flags[,more];text` (Documentation/ABI/testing/dev-kmsg,
 * https://www.kernel.org/doc/Documentation/ABI/testing/dev-kmsg). `usec` is CLOCK_MONOTONIC since boot.
 */
const KMSG_RE = /^(\d{1,4}),(\d+),(\d+),[^;]*;/;
/** kmsg dictionary continuation: ` KEY=value` (one leading space, e.g. ` SUBSYSTEM=pci`, ` DEVICE=+pci:…`). */
const KMSG_DICT_RE = /^ [A-Z][A-Z0-9_]*=/;
/** A `"MESSAGE": "…"` / `"message": "…"` line of pretty-printed JSON (journalctl -o json-pretty, a Kubernetes event). */
const JSON_MESSAGE_LINE_RE = /^\s*"(?:MESSAGE|message)"\s*:\s*("(?:[^"\\]|\\.)*")\s*,?\s*$/;
/** `kubectl get events` row: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE. */
const KUBECTL_EVENT_RE = /^\S+\s+(?:Warning|Normal)\s+\S+\s+[\w.-]+\/\S+\s+(?=\S)/;
/** A shell prompt with its command (`[u@h ~]$ dmesg | grep …`, `root@node:/# dmesg -T`, `$ dmesg`). */
const PROMPT_RE = /^(?:\[?[\w.-]+@[\w.-]+[^\s#$]*(?:\s[^\]#$]{0,80})?\]?\s?[#$%]|[#$]) /;
/** What `kubectl debug node/…` prints before the shell. */
const KUBECTL_DEBUG_RE = /^(?:Creating debugging pod |If you don't see a command prompt|Defaulted container )/;
const FENCE_RE = /^\s*(?:```|~~~)/;
const QUOTE_RE = /^\s*>+ ?(?:> ?)*/;
const BULLET_RE = /^\s*(?:[-*+•]|\d{1,4}[.)])\s+/;
/** Editor or `grep -n` line numbers, kept off only when a log prefix follows (`  12 [ 1.2] …`, `12:2026-…`). */
const LINE_NUMBER_RE =
  /^\s*\d{1,7}(?:[:|-]\s*|\s+)(?=\[|<\d|\d{4}-\d\d-\d\d[T ]|\d{1,4},\d+,\d+,|[^\s\d[<]{3,6}\.? +\d{1,2} \d\d:)/u;

function decodeKmsgEscapes(text: string): string {
  return text.includes('\\x')
    ? text.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    : text;
}

/** µs as a decimal string (journal fields) → a number, or null. */
function micros(v: unknown): number | null {
  if (typeof v !== 'string' || !/^\d{1,19}$/.test(v)) return null;
  return Number(v);
}

/** journalctl prints a field that is not valid UTF-8 as an array of its bytes (https://systemd.io/JOURNAL_EXPORT_FORMATS/, "Journal JSON Format"). */
function journalText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number' && b >= 0 && b <= 255))
    return new TextDecoder('utf-8').decode(Uint8Array.from(v as number[]));
  return null;
}

/**
 * One `journalctl -o json` line: `MESSAGE` (a string, an array of bytes when not UTF-8, null when
 * over the 4 KiB --all threshold), `__REALTIME_TIMESTAMP` (µs since the epoch, as a string) and,
 * for kernel records, `_SOURCE_MONOTONIC_TIMESTAMP` (the kernel's own stamp: µs since boot);
 * systemd.journal-fields(7), https://www.freedesktop.org/software/systemd/man/latest/systemd.journal-fields.html.
 * A Kubernetes event object gives its `message`. Other JSON: null (not a record we know).
 */
function journalJson(line: string): UnwrappedRecord | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
  const r = o as Record<string, unknown>;
  const text = journalText(r.MESSAGE) ?? (typeof r.message === 'string' ? r.message : null);
  if (text === null) return null;
  const real = micros(r.__REALTIME_TIMESTAMP);
  const mono = micros(r._SOURCE_MONOTONIC_TIMESTAMP);
  return {
    text,
    wallMs: real === null ? null : Math.floor(real / 1000),
    monotonicSeconds: mono === null ? null : mono / 1e6,
  };
}

/**
 * Unwraps one input line. null: the line carries no log message (a kmsg dictionary line, a code
 * fence, a shell prompt, what `kubectl debug` prints). Else the inner text, which may still carry
 * dmesg/syslog/journal prefixes, and the record's own stamps.
 */
export function unwrapRecord(line: string): UnwrappedRecord | null {
  let text = line.endsWith('\r') ? line.slice(0, -1) : line;
  // Fast path: a raw dmesg line (`[ 123.456] …`, `[12345.678901] …`) is none of the wrapped forms below.
  const second = text.charCodeAt(1);
  if (text.charCodeAt(0) === 91 /* [ */ && (second === 32 || (second >= 48 && second <= 57)))
    return { text, wallMs: null, monotonicSeconds: null };
  if (KMSG_DICT_RE.test(text)) return null;
  const wallMs: number | null = null;
  let monotonicSeconds: number | null = null;
  for (let guard = 0; guard < 6; guard++) {
    const before = text;
    if (FENCE_RE.test(text)) return null;
    let m = QUOTE_RE.exec(text);
    if (m && m[0].includes('>')) text = text.slice(m[0].length);
    if ((m = BULLET_RE.exec(text))) text = text.slice(m[0].length);
    if ((m = LINE_NUMBER_RE.exec(text))) text = text.slice(m[0].length);
    const t = text.trim();
    if (t.length > 1 && t.startsWith('`') && t.endsWith('`')) text = t.slice(1, -1);
    else if (t.startsWith('`') && !t.startsWith('``')) text = t.slice(1);
    if (text === before) break;
  }
  const lead = text.trimStart();
  const c = lead.charCodeAt(0);
  if (c === 123 /* { */ && lead.trimEnd().endsWith('}')) {
    const j = journalJson(lead.trimEnd());
    if (j) return j;
  } else if (c === 34 /* " */) {
    const m = JSON_MESSAGE_LINE_RE.exec(lead);
    if (m) return { text: JSON.parse(m[1]!) as string, wallMs, monotonicSeconds };
  }
  let m: RegExpExecArray | null;
  if (c >= 48 && c <= 57 && (m = KMSG_RE.exec(lead))) {
    monotonicSeconds = Number(m[3]) / 1e6;
    return { text: decodeKmsgEscapes(lead.slice(m[0].length)), wallMs, monotonicSeconds };
  }
  if ((m = KUBECTL_EVENT_RE.exec(lead))) return { text: lead.slice(m[0].length), wallMs, monotonicSeconds };
  if (PROMPT_RE.test(lead) || KUBECTL_DEBUG_RE.test(lead)) return null;
  // Indentation (a pasted block) is not part of the log line; the message's own spacing after a stamp is kept.
  return { text: lead, wallMs, monotonicSeconds };
}
