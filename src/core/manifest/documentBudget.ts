/**
 * The one judgement of whether a YAML document is small enough to analyze within the memory
 * budget (peak RSS at most 100 MB + 10 × the file), for `oomscope lint` and the language server
 * alike. `yaml` holds the whole syntax tree of a document while it composes it: 60-170 bytes per
 * character of real manifests (a 43 MB document took 4.4 GB and aborted), and 1-2 KB per entry of
 * a dense flow collection such as `[1,1,1,…]`. A larger document is not parsed at all: it gets one
 * information diagnostic saying why, the limit, and how to check it anyway.
 */

/** Largest YAML document (UTF-16 characters, i.e. bytes for ASCII) analyzed by default. */
export const MAX_DOCUMENT_CHARS = 256 * 1024;

/** A document may hold one flow entry (one comma) per this many characters of the size limit. */
const CHARS_PER_FLOW_ENTRY = 16;

/** Why a document is not analyzed, and whether to say so. */
export interface OversizedDocument {
  reason: string;
  /** false for documents that cannot carry a pod spec anyway (no `containers`, ConfigMaps, Secrets, CRDs): skipped silently. */
  report: boolean;
}

/** null when `text` (one YAML document) can be analyzed within the budget of `maxChars`. */
export function oversizedDocument(text: string, maxChars: number = MAX_DOCUMENT_CHARS): OversizedDocument | null {
  if (text.length > maxChars) {
    const reason = `This YAML document is ${formatSize(text.length)}; OOMScope checks documents of up to ${formatSize(maxChars)} (larger ones take too much memory), so it was not checked for memory settings. ${howToCheck(text.length)}`;
    return { reason, report: mayMatter(text) };
  }
  const maxEntries = Math.floor(maxChars / CHARS_PER_FLOW_ENTRY);
  if (countCommas(text, maxEntries) > maxEntries) {
    const reason = `This YAML document has more than ${groupDigits(maxEntries)} comma-separated flow entries ([1, 2], {a: 1, b: 2}); OOMScope checks documents of up to ${formatSize(maxChars)} with at most that many (more take too much memory), so it was not checked for memory settings. ${howToCheck(countCommas(text, Infinity) * CHARS_PER_FLOW_ENTRY)}`;
    return { reason, report: mayMatter(text) };
  }
  return null;
}

function howToCheck(neededChars: number): string {
  return `Split it into several documents (---), or run \`oomscope lint --max-document-size ${suggestedLimit(neededChars)} FILE\` (it may need about 200 times the document's size in memory).`;
}

/** Could this document carry a pod spec? (The same cheap test the manifest model starts with, plus kinds that never do.) */
function mayMatter(text: string): boolean {
  if (!text.includes('containers') || !text.includes('kind') || !text.includes('apiVersion')) return false;
  return !/^kind:[ \t]*["']?(?:ConfigMap|Secret|CustomResourceDefinition)["']?[ \t]*(?:#.*)?\r?$/m.test(text);
}

/** Commas in `text`, counting no further than `stopAbove` + 1. */
function countCommas(text: string, stopAbove: number): number {
  let n = 0;
  for (let i = text.indexOf(','); i !== -1 && n <= stopAbove; i = text.indexOf(',', i + 1)) n++;
  return n;
}

/** The next power of two at or above `chars`, as a quantity (`1Mi`, `64Mi`). */
function suggestedLimit(chars: number): string {
  let size = 1024;
  while (size < chars) size *= 2;
  return size >= 1 << 20 ? `${size / (1 << 20)}Mi` : `${size / 1024}Ki`;
}

function formatSize(chars: number): string {
  if (chars >= 1 << 20) return `${(chars / (1 << 20)).toFixed(1).replace(/\.0$/, '')} MiB`;
  return `${Math.ceil(chars / 1024)} KiB`;
}

function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
