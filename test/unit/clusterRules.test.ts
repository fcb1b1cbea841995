// The cluster-aware rules (oom-killed-recently, limit-below-observed-usage, request-below-observed-usage) and the fixes
// from observed usage, on hand-built ObservedWorkload inputs (GENERATED here: the numbers are chosen for the edges, not
// measured; the cluster and CLI tiers use the fleet's history). Ranges, messages, the 10 % edge, the fix values, and
// the edits applied to the text with its comments kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/core/manifest/analyze';
import { applyEdits } from '../../src/core/manifest/edits';
import { LineIndex } from '../../src/core/manifest/lineIndex';
import type { Finding } from '../../src/core/manifest/findingTypes';
import type { ObservedKill, ObservedWorkload } from '../../src/core/manifest/observed';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';

const MI = 1024 * 1024;
const NOW = Date.UTC(2025, 2, 12, 9, 30);
const YESTERDAY_1402 = Date.UTC(2025, 2, 11, 14, 2);

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api # the shop's API
          image: shop/api:1.4
          resources:
            requests:
              memory: 256Mi # sized in 2023
            limits:
              memory: 512Mi # keep in step with the heap
`;

const ownKill = (t: number, secs: number, ws: number, pod = 'api-7f9c-x2k'): ObservedKill => ({
  t,
  class: 'container-limit',
  precededBy: 'thrashing',
  precedingSeconds: secs,
  precededJudged: true,
  workingSetBytes: ws,
  limitBytes: 512 * MI,
  pod,
});

function workload(over: Partial<ObservedWorkload['containers'][number]> = {}, ns = 'shop'): ObservedWorkload {
  return {
    kind: 'Deployment',
    name: 'api',
    namespace: ns,
    context: 'test',
    generatedAt: NOW,
    windowHours: 24,
    containers: [{ name: 'api', p95Bytes: 300 * MI, peakBytes: 611 * MI, kills: [], ...over }],
    nodes: [],
  };
}

const lint = (text: string, observed?: ObservedWorkload[], defaultNamespace?: string): Finding[] =>
  analyzeText(text, DEFAULT_SETTINGS, { observed, defaultNamespace }).findings;
const only = (fs: Finding[], id: string): Finding[] => fs.filter((f) => f.ruleId === id);
const lines = MANIFEST.split('\n');
/** The range of `needle` on the line that holds `marker`. */
function at(marker: string, needle: string) {
  const line = lines.findIndex((l) => l.includes(marker));
  const character = lines[line]!.indexOf(needle);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}
const apply = (text: string, f: Finding): string => applyEdits(text, f.fixes[0]!.edits, new LineIndex(text));

void test('static analysis: the cluster-aware rules never run, and the fixes keep oomscope.defaults.memory', () => {
  const ids = lint(MANIFEST).map((f) => f.ruleId);
  assert.ok(!ids.some((id) => /observed|oom-killed/.test(id)), ids.join());
  const bare = MANIFEST.replace(/ {10}resources:[\s\S]*$/, '');
  const f = only(lint(bare), 'memory-request-missing')[0]!;
  assert.equal(f.fixes[0]!.title, 'Add requests.memory and limits.memory: 256Mi');
});

void test('oom-killed-recently: the count, the class and precursor in words, the peak, the last kill, on the 512Mi value', () => {
  const kills = [
    ownKill(NOW - 20 * 3600_000, 40, 510 * MI, 'api-7f9c-a1b'),
    ownKill(YESTERDAY_1402 - 3600_000, 70, 509 * MI, 'api-7f9c-c2d'),
    {
      ...ownKill(YESTERDAY_1402, 0, 300 * MI),
      class: 'system' as const,
      precededBy: null,
      precedingSeconds: null,
      limitBytes: 512 * MI,
    },
  ];
  const fs = only(lint(MANIFEST, [workload({ kills })]), 'oom-killed-recently');
  assert.equal(fs.length, 1);
  const f = fs[0]!;
  assert.deepEqual(f.range, at('memory: 512Mi', '512Mi'));
  assert.equal(f.severity, 'warning');
  assert.equal(f.container, 'api');
  assert.equal(
    f.message,
    'OOM-killed 3× in 24 h, twice at its own 512Mi limit after 40s–1m 10s of thrashing, once (node OOM) suddenly (no memory pressure before); peak working set 611Mi (last: api-7f9c-x2k, yesterday 14:02 UTC).',
  );
  // peak 611Mi × 1.15 = 702.65Mi → 703Mi beats the last own-limit kill's 509Mi × 1.2 = 610.8Mi.
  assert.equal(f.fixes[0]!.title, 'Raise the limit to 703Mi (peak 611Mi + 15%)');
  const fixed = apply(MANIFEST, f);
  assert.equal(fixed, MANIFEST.replace('memory: 512Mi # keep', 'memory: 703Mi # keep'));
});

void test('the limit fix after a kill at the own limit: VPA bump of the usage at the kill, × 1.2 or + 100Mi', () => {
  // No working-set history: only the kill. 400Mi × 1.2 = 480Mi < 400Mi + 100Mi = 500Mi.
  const small = workload({ peakBytes: null, p95Bytes: null, kills: [ownKill(NOW - 3600_000, 30, 400 * MI)] });
  small.containers[0]!.kills[0]!.limitBytes = null;
  const at384 = MANIFEST.replace('memory: 512Mi', 'memory: 384Mi');
  const f1 = only(lint(at384, [small]), 'oom-killed-recently')[0]!;
  assert.equal(f1.fixes[0]!.title, 'Raise the limit to 500Mi (working set at the last OOM kill 400Mi + 100Mi)');
  assert.equal(apply(at384, f1), MANIFEST.replace('memory: 512Mi', 'memory: 500Mi'));
  assert.match(
    f1.message,
    /^OOM-killed 1× in 24 h, once at its own limit after 30s of thrashing \(last: api-7f9c-x2k, today 08:30 UTC\)\.$/,
  );
  // 600Mi at the kill (limit 512Mi in force then): × 1.2 = 720Mi > peak 611Mi × 1.15 = 703Mi.
  const big = workload({ kills: [ownKill(NOW - 3600_000, 30, 600 * MI)] });
  const f2 = only(lint(MANIFEST, [big]), 'oom-killed-recently')[0]!;
  assert.equal(f2.fixes[0]!.title, 'Raise the limit to 720Mi (working set at the last OOM kill 600Mi + 20%)');
});

void test('limit-below-observed-usage: below the peak, within 10 % (the edge fires), and 10 % + 1 byte above is quiet', () => {
  const below = only(lint(MANIFEST, [workload({ peakBytes: 611 * MI })]), 'limit-below-observed-usage');
  assert.equal(below.length, 1);
  assert.deepEqual(below[0]!.range, at('memory: 512Mi', '512Mi'));
  assert.equal(
    below[0]!.message,
    'Container "api" used more than its 512Mi limit in the last 24 h (peak working set 611Mi): at this limit that usage is OOM-killed, or reclaimed into thrashing.',
  );
  assert.equal(below[0]!.fixes[0]!.title, 'Raise the limit to 703Mi (peak 611Mi + 15%)');
  // A 550Mi limit and a 500Mi peak: the limit is exactly peak × 1.1, within 10 % (fires); one byte less peak is quiet.
  const at550 = MANIFEST.replace('memory: 512Mi', 'memory: 550Mi');
  const edge = only(lint(at550, [workload({ peakBytes: 500 * MI })]), 'limit-below-observed-usage');
  assert.equal(edge.length, 1, 'at the 10 % edge');
  assert.match(
    edge[0]!.message,
    /^The 550Mi limit of container "api" leaves less than 10% above its peak working set of the last 24 h \(500Mi, 90\.9% of the limit\): the next spike is OOM-killed/,
  );
  assert.equal(edge[0]!.fixes[0]!.title, 'Raise the limit to 575Mi (peak 500Mi + 15%)');
  assert.equal(apply(at550, edge[0]!), MANIFEST.replace('memory: 512Mi', 'memory: 575Mi'));
  const quiet = only(lint(at550, [workload({ peakBytes: 500 * MI - 1 })]), 'limit-below-observed-usage');
  assert.deepEqual(quiet, [], 'one byte beyond the 10 % edge');
});

void test('request-below-observed-usage: information on the 256Mi value, fix to the p95 rounded up to Mi, comments kept', () => {
  const fs = only(
    lint(MANIFEST, [workload({ p95Bytes: 300.2 * MI, peakBytes: 400 * MI })]),
    'request-below-observed-usage',
  );
  assert.equal(fs.length, 1);
  const f = fs[0]!;
  assert.equal(f.severity, 'information');
  assert.deepEqual(f.range, at('memory: 256Mi', '256Mi'));
  assert.equal(
    f.message,
    'The 256Mi request of container "api" is below what it used 95% of the time in the last 24 h (p95 working set 300.2Mi): the scheduler reserves less than it uses, and under node memory pressure the kubelet evicts pods above their request first.',
  );
  assert.equal(f.fixes[0]!.title, 'Set the request to 301Mi (p95 of the working set over 24 h)');
  assert.equal(apply(MANIFEST, f), MANIFEST.replace('memory: 256Mi # sized', 'memory: 301Mi # sized'));
  assert.deepEqual(only(lint(MANIFEST, [workload({ p95Bytes: 256 * MI })]), 'request-below-observed-usage'), []);
  // A p95 above the limit: no request fix (it would make the request exceed the limit); the limit rule speaks.
  const over = only(lint(MANIFEST, [workload({ p95Bytes: 600 * MI })]), 'request-below-observed-usage')[0]!;
  assert.deepEqual(over.fixes, []);
});

void test('matching: kind, name and namespace; a manifest without a namespace matches the default namespace given', () => {
  assert.equal(lint(MANIFEST, [workload({}, 'staging')]).filter((f) => f.ruleId.includes('observed')).length, 0);
  const noNs = MANIFEST.replace('  namespace: shop\n', '');
  assert.equal(only(lint(noNs, [workload({}, 'shop')]), 'limit-below-observed-usage').length, 0);
  assert.equal(only(lint(noNs, [workload({}, 'default')]), 'limit-below-observed-usage').length, 1);
  assert.equal(only(lint(noNs, [workload({}, 'shop')], 'shop'), 'limit-below-observed-usage').length, 1);
  const other = { ...workload(), kind: 'StatefulSet' };
  assert.equal(only(lint(MANIFEST, [other]), 'limit-below-observed-usage').length, 0);
});

void test('the add-request-and-limit fixes use the observed p95 and peak, comments kept', () => {
  const bare = MANIFEST.replace(/ {10}resources:[\s\S]*$/, '');
  const obs = [workload({ p95Bytes: 300.2 * MI, peakBytes: 400 * MI })];
  const f = only(lint(bare, obs), 'memory-request-missing')[0]!;
  assert.equal(
    f.fixes[0]!.title,
    'Add requests.memory: 301Mi (p95 of the working set over 24 h) and limits.memory: 460Mi (peak 400Mi + 15%)',
  );
  const fixed = apply(bare, f);
  assert.ok(fixed.includes("- name: api # the shop's API"), fixed);
  assert.match(fixed, /resources:\n {12}requests:\n {14}memory: 301Mi\n {12}limits:\n {14}memory: 460Mi\n$/);
  const reqOnly = MANIFEST.replace(/ {12}limits:[\s\S]*$/, '');
  const g = only(lint(reqOnly, obs), 'memory-limit-missing')[0]!;
  assert.equal(g.fixes[0]!.title, 'Add limits.memory: 460Mi (peak 400Mi + 15%; the request is 256Mi)');
  const fixedG = apply(reqOnly, g);
  assert.ok(fixedG.includes('memory: 256Mi # sized in 2023'), fixedG);
  assert.match(fixedG, /limits:\n {14}memory: 460Mi\n$/);
});
