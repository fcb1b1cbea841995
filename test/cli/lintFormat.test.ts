import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileAnalysis } from '../../src/core/manifest/analyze';
import type { Finding } from '../../src/core/manifest/findingTypes';
import { formatJson, jsonBytes } from '../../src/cli/formatJson';
import { ANSI, NO_COLOR, formatText, paletteFor } from '../../src/cli/formatText';
import { lintSarif } from '../../src/cli/sarif';
import { parseLintArgs } from '../../src/cli/lintArgs';
import { UsageError } from '../../src/cli/io';
import { validateSarif } from './support';

// Hand-made analysis results in the shape the core returns, so the formatters are tested on their own.
const api = { kind: 'Deployment', name: 'api', namespace: null, document: 0 };
function finding(
  ruleId: string,
  severity: Finding['severity'],
  line: number,
  character: number,
  container: string | null = 'api',
): Finding {
  return {
    ruleId,
    severity,
    message: `${ruleId} message`,
    range: { start: { line, character }, end: { line, character: character + 4 } },
    object: api,
    container,
    fixes: [],
  };
}
const analysis: FileAnalysis = {
  findings: [
    finding('memory-limit-missing', 'warning', 20, 10),
    finding('memory-quantity-fractional', 'error', 12, 20),
  ],
  objects: [
    {
      ...api,
      qosClass: 'Burstable',
      containers: [
        {
          name: 'api',
          init: false,
          sidecar: false,
          requests: { memory: 134217728n },
          limits: { memory: 2n ** 60n },
          oomScoreAdj: 992,
        },
        {
          name: 'init',
          init: true,
          sidecar: false,
          requests: { memory: null },
          limits: { memory: null },
          oomScoreAdj: null,
        },
      ],
      labels: {},
      podLabels: {},
      selector: null,
      range: { start: { line: 1, character: 6 }, end: { line: 1, character: 16 } },
    },
  ],
  skipped: [
    {
      document: 1,
      reason: 'Helm template syntax',
      range: { start: { line: 30, character: 0 }, end: { line: 31, character: 0 } },
    },
  ],
};
const files = [
  { file: 'k8s/api.yaml', analysis },
  { file: 'k8s/empty.yaml', analysis: { findings: [], objects: [], skipped: [] } },
];

void test('byte values: exact integers as numbers, beyond 2^53 as strings, unparseable as null', () => {
  assert.equal(jsonBytes(134217728n), 134217728);
  assert.equal(jsonBytes(2n ** 53n - 1n), 9007199254740991);
  assert.equal(jsonBytes(2n ** 53n), '9007199254740992');
  assert.equal(jsonBytes(null), null);
});

void test('JSON output has the docs/cli.md shape, findings sorted by position', () => {
  const doc = JSON.parse(formatJson(files));
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.findings[0], {
    file: 'k8s/api.yaml',
    ruleId: 'memory-quantity-fractional',
    severity: 'error',
    message: 'memory-quantity-fractional message',
    range: { start: { line: 12, character: 20 }, end: { line: 12, character: 24 } },
    object: { kind: 'Deployment', name: 'api', namespace: null, document: 0 },
    container: 'api',
  });
  assert.equal(doc.findings[1].ruleId, 'memory-limit-missing');
  assert.deepEqual(doc.objects, [
    {
      file: 'k8s/api.yaml',
      document: 0,
      kind: 'Deployment',
      name: 'api',
      namespace: null,
      qosClass: 'Burstable',
      containers: [
        {
          name: 'api',
          init: false,
          sidecar: false,
          requests: { memory: 134217728 },
          limits: { memory: '1152921504606846976' },
          oomScoreAdj: 992,
        },
        {
          name: 'init',
          init: true,
          sidecar: false,
          requests: { memory: null },
          limits: { memory: null },
          oomScoreAdj: null,
        },
      ],
    },
  ]);
});

void test('text output: file:line:col (1-based), severity, rule, message, grouped by file, summary line', () => {
  const text = formatText(files, NO_COLOR);
  const lines = text.trimEnd().split('\n');
  assert.match(
    lines[0]!,
    /^k8s\/api\.yaml:13:21 {2}error {4}memory-quantity-fractional {2}memory-quantity-fractional message {2}\(Deployment\/api, container api\)$/,
  );
  assert.match(lines[1]!, /^k8s\/api\.yaml:21:11 {2}warning {2}memory-limit-missing /);
  assert.match(lines[2]!, /^k8s\/api\.yaml:31:1 {2}skipped {2}document 2: Helm template syntax$/);
  assert.equal(lines.at(-1), '1 error, 1 warning in 2 files (1 object); 1 document skipped');
  assert.ok(!text.includes('\u001b['), 'no escape codes without colour');
});

void test('colour only on a terminal and never with NO_COLOR', () => {
  assert.equal(paletteFor(false, {}), NO_COLOR);
  assert.equal(paletteFor(true, {}), ANSI);
  assert.equal(paletteFor(true, { NO_COLOR: '1' }), NO_COLOR);
  assert.ok(formatText(files, ANSI).includes('\u001b[31merror'));
});

void test('SARIF output validates against the SARIF 2.1.0 schema, 1-based regions', () => {
  const rules = [
    {
      id: 'memory-quantity-fractional',
      defaultSeverity: 'error' as const,
      title: 'Fractional memory',
      helpUri: 'https://example.com/r/fractional.md',
    },
    {
      id: 'memory-limit-missing',
      defaultSeverity: 'warning' as const,
      title: 'No memory limit',
      helpUri: 'https://example.com/r/missing.md',
    },
  ];
  const log = lintSarif(
    [...files, { file: 'dir with space/ü.yaml', analysis }],
    rules,
    { name: 'oomscope', version: '0.1.0', informationUri: 'https://example.com' },
    '/tmp/proj',
  );
  assert.deepEqual(validateSarif(log), []);
  const run = (
    log as {
      runs: {
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: unknown } }[];
        }[];
        tool: { driver: { rules: { defaultConfiguration: { level: string } }[] } };
      }[];
    }
  ).runs[0]!;
  assert.equal(run.results[0]!.level, 'error');
  assert.equal(run.results[0]!.ruleIndex, 0);
  assert.deepEqual(run.results[0]!.locations[0]!.physicalLocation.region, {
    startLine: 13,
    startColumn: 21,
    endLine: 13,
    endColumn: 25,
  });
  assert.equal(run.results[1]!.level, 'warning');
  assert.equal(
    run.results.at(-1)!.locations[0]!.physicalLocation.artifactLocation.uri,
    'dir%20with%20space/%C3%BC.yaml',
  );
  assert.equal(run.tool.driver.rules[1]!.defaultConfiguration.level, 'warning');
  // the validator does reject a broken log
  assert.notDeepEqual(validateSarif({ ...(log as object), version: '2.0.0' }), []);
});

void test('argument parsing: rules, severities, numbers and unknown options are usage errors', () => {
  const known = ['memory-limit-missing', 'heap-exceeds-limit'];
  const o = parseLintArgs(
    [
      '--format',
      'json',
      '--rule',
      'memory-limit-missing=off',
      '--rule',
      'heap-exceeds-limit=error',
      '--max-warnings',
      '0',
      'a.yaml',
      '-',
    ],
    known,
  );
  assert.deepEqual(o.severities, { 'memory-limit-missing': 'off', 'heap-exceeds-limit': 'error' });
  assert.equal(o.maxWarnings, 0);
  assert.deepEqual(o.paths, ['a.yaml', '-']);
  assert.throws(
    () => parseLintArgs(['--rule', 'nope=off'], known),
    (e) => e instanceof UsageError && /unknown rule 'nope'/.test(e.message),
  );
  assert.throws(() => parseLintArgs(['--rule', 'memory-limit-missing=loud'], known), /unknown severity 'loud'/);
  assert.throws(() => parseLintArgs(['--rule', 'memory-limit-missing'], known), /not RULE=SEVERITY/);
  assert.throws(() => parseLintArgs(['--max-warnings=-1'], known), /not a whole number/);
  assert.throws(() => parseLintArgs(['--max-warnings', 'ten'], known), /not a whole number/);
  assert.throws(() => parseLintArgs(['--format', 'xml'], known), /unknown --format 'xml'/);
  assert.throws(
    () => parseLintArgs(['--colour'], known),
    (e) => e instanceof UsageError && /^unknown option '--colour'; run/.test(e.message),
  );
  assert.throws(() => parseLintArgs(['-z'], known), /unknown option '-z'/);
  assert.throws(() => parseLintArgs(['--format'], known), /--format needs a value/);
  assert.throws(
    () => parseLintArgs(['--max-warnings', '-1'], known),
    /--max-warnings needs a value; write --max-warnings=VALUE/,
  );
  assert.throws(() => parseLintArgs(['--help=yes'], known), /--help does not take a value/);
});
