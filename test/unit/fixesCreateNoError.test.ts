// A quick fix trades its finding for nothing worse: on generated manifests (heap flags, pod-level
// resources, sidecars, bad and good values on both sides of the request/limit pair, anchors),
// applying any offered fix never adds an error-level finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeText } from '../../src/core/manifest/analyze';
import { applyEdits } from '../../src/core/manifest/edits';
import { LineIndex } from '../../src/core/manifest/lineIndex';
import { DEFAULT_SETTINGS, type AnalysisSettings, type Finding } from '../../src/core/manifest/findingTypes';

const VALUES = [
  '128m',
  '512m',
  '1Gb',
  '512 Mi',
  '"1Gb"',
  "'128m'",
  '0.5Gi',
  '100M',
  '1.5Gi',
  '512',
  '1gi',
  '1GB',
  '2Gb',
  '4G',
  '256Mi',
  '1Gi',
  '64Mi',
  '2Gi',
  '3Gi',
  '"128Mi"',
  '8Gi',
  '-1Gi',
  '1e308',
];
const HEAP = [
  null,
  null,
  { args: '["-Xmx2g"]' },
  { args: '["-Xmx512m"]' },
  { args: '["-Xmx3g", "-jar", "app.jar"]' },
  { args: '["-XX:MaxRAMPercentage=95"]' },
  { args: '["node", "--max-old-space-size=1536", "server.js"]' },
  { env: ['JAVA_OPTS', '-Xms1g -Xmx1g'] },
  { env: ['GOMEMLIMIT', '900MiB'] },
  { env: ['GOMEMLIMIT', '3GiB'] },
  { env: ['NODE_OPTIONS', '--max-old-space-size=4096'] },
] as const;

const value = fc.option(fc.constantFrom(...VALUES), { nil: null, freq: 3 });
const resources = fc.record({
  req: value,
  lim: value,
  flow: fc.boolean(),
  cpu: fc.boolean(),
  none: fc.nat({ max: 9 }),
});
const container = fc.record({
  res: resources,
  heap: fc.constantFrom(...HEAP),
  qos: fc.nat({ max: 9 }),
  init: fc.nat({ max: 5 }),
});
const manifest = fc.record({
  kind: fc.constantFrom('Pod', 'Deployment', 'CronJob'),
  containers: fc.array(container, { minLength: 1, maxLength: 3 }),
  pod: fc.option(resources, { nil: null, freq: 4 }),
  anchor: fc.nat({ max: 7 }),
  defaultMemory: fc.constantFrom('256Mi', '1Gi', '64Mi'),
});

function resourcesYaml(
  r: { req: string | null; lim: string | null; flow: boolean; cpu: boolean; none: number },
  p: string,
): string {
  if (r.none === 0) return '';
  if (r.none === 1) return `${p}resources: {}\n`;
  if (r.flow) {
    const parts: string[] = [];
    if (r.lim !== null) parts.push(`limits: {memory: ${r.lim}${r.cpu ? ', cpu: 500m' : ''}}`);
    if (r.req !== null) parts.push(`requests: {memory: ${r.req}}`);
    return `${p}resources: {${parts.join(', ')}}\n`;
  }
  let s = `${p}resources:\n`;
  if (r.lim === null && r.req === null) return r.cpu ? `${s}${p}  limits:\n${p}    cpu: 1\n` : s;
  if (r.lim !== null) s += `${p}  limits:\n${p}    memory: ${r.lim}\n${r.cpu ? `${p}    cpu: 500m\n` : ''}`;
  if (r.req !== null) s += `${p}  requests:\n${p}    memory: ${r.req}\n`;
  return s;
}

type Manifest = typeof manifest extends fc.Arbitrary<infer T> ? T : never;

function render(m: Manifest): string {
  const ind = m.kind === 'Pod' ? 2 : m.kind === 'CronJob' ? 10 : 6;
  const p = ' '.repeat(ind);
  const head =
    m.kind === 'Pod'
      ? 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n'
      : m.kind === 'CronJob'
        ? 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n'
        : 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n';
  let body = '';
  if (m.pod) body += resourcesYaml(m.pod, p);
  const regular = m.containers.filter((c) => c.init > 1);
  const init = m.containers.filter((c) => c.init <= 1);
  // anchor === 0: the first regular container's resources are anchored and the second one uses them.
  let anchored = false;
  const list = (cs: typeof m.containers, key: string): string => {
    if (cs.length === 0) return '';
    let s = `${p}${key}:\n`;
    cs.forEach((c, i) => {
      s += `${p}- name: ${key === 'initContainers' ? 'init' : 'c'}${i}\n${p}  image: nginx:1.27\n`;
      if (c.init === 0) s += `${p}  restartPolicy: Always\n`;
      if (c.qos === 0) s += `${p}  qosClass: Guaranteed\n`;
      if (c.heap && 'args' in c.heap) s += `${p}  args: ${c.heap.args}\n`;
      if (c.heap && 'env' in c.heap)
        s += `${p}  env:\n${p}  - name: ${c.heap.env[0]}\n${p}    value: "${c.heap.env[1]}"\n`;
      const res = resourcesYaml(c.res, `${p}  `);
      if (m.anchor === 0 && key === 'containers' && i === 1 && anchored) s += `${p}  resources: *shared\n`;
      else if (m.anchor === 0 && key === 'containers' && i === 0 && res.startsWith(`${p}  resources:\n`)) {
        s += res.replace(`${p}  resources:\n`, `${p}  resources: &shared\n`);
        anchored = true;
      } else s += res;
    });
    return s;
  };
  body += list(init, 'initContainers') + list(regular, 'containers');
  if (!body.includes('containers:\n') || regular.length === 0)
    body += `${p}containers:\n${p}- name: main\n${p}  image: nginx\n`;
  return head + body;
}

const errorKeys = (findings: Finding[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const k = `${f.ruleId}|${f.object?.document}|${f.container}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
};

/** Every offered fix applied alone; returns how many were applied. Throws when one adds an error-level finding. */
function checkAllFixes(text: string, settings: AnalysisSettings): number {
  const before = analyzeText(text, settings);
  const was = errorKeys(before.findings);
  let applied = 0;
  for (const f of before.findings) {
    for (const fix of f.fixes) {
      const after = applyEdits(text, fix.edits, new LineIndex(text));
      const now = errorKeys(analyzeText(after, settings).findings);
      for (const [k, n] of now)
        assert.ok(
          n <= (was.get(k) ?? 0),
          `"${fix.title}" (for ${f.ruleId} of ${f.container}) added ${k}:\n--- before\n${text}--- after\n${after}`,
        );
      applied++;
    }
  }
  return applied;
}

void test('no quick fix adds an error-level finding (generated manifests)', () => {
  let applied = 0;
  fc.assert(
    fc.property(manifest, (m) => {
      applied += checkAllFixes(render(m), { ...DEFAULT_SETTINGS, defaultMemory: m.defaultMemory });
    }),
    { numRuns: 500, seed: 11 },
  );
  assert.ok(applied > 500, `only ${applied} fixes applied`);
});

void test('the report\'s cases: a heap flag raises the value the "add" fixes write, and names why', () => {
  const pod = (c: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: x\n${c}`;
  const titles = (text: string, rule: string): string[] =>
    analyzeText(text)
      .findings.find((f) => f.ruleId === rule)
      ?.fixes.map((x) => x.title) ?? [];
  assert.deepEqual(titles(pod('    args: ["-Xmx2g"]\n'), 'memory-request-missing'), [
    'Add requests.memory and limits.memory: 2752Mi (room for JVM -Xmx2g)',
  ]);
  assert.deepEqual(titles(pod('    env:\n    - name: GOMEMLIMIT\n      value: "900MiB"\n'), 'memory-request-missing'), [
    'Add requests.memory and limits.memory: 901Mi (room for GOMEMLIMIT=900MiB)',
  ]);
  assert.deepEqual(titles(pod('    args: ["-Xmx128m"]\n'), 'memory-request-missing'), [
    'Add requests.memory and limits.memory: 256Mi',
  ]);
  assert.deepEqual(
    titles(pod('    args: ["-Xmx2g"]\n    resources:\n      requests:\n        memory: 1Gi\n'), 'memory-limit-missing'),
    ['Add limits.memory: 2752Mi (room for JVM -Xmx2g; the request is 1Gi)'],
  );
  // "Did you mean 512Mi" for a limit below its request, or below the heap: a hint, not a fix.
  assert.deepEqual(
    titles(
      pod('    resources:\n      requests:\n        memory: 1Gi\n      limits:\n        memory: 512m\n'),
      'memory-quantity-fractional',
    ),
    [],
  );
  assert.deepEqual(
    titles(
      pod('    args: ["-Xmx1g"]\n    resources:\n      limits:\n        memory: 1Gb\n'),
      'memory-quantity-invalid',
    ),
    [],
  );
  assert.deepEqual(
    titles(
      pod('    resources:\n      requests:\n        memory: 1Gb\n      limits:\n        memory: 1G\n'),
      'memory-quantity-invalid',
    ),
    ['Change to 1G'],
  );
  // The 3 × request limit would sit below -Xmx: only "request = limit" is offered.
  assert.deepEqual(
    titles(
      pod(
        '    args: ["-Xmx2g"]\n    resources:\n      requests:\n        memory: 512Mi\n      limits:\n        memory: 4Gi\n',
      ),
      'memory-limit-request-ratio',
    ),
    ['Set the request equal to the limit (4Gi)'],
  );
});
