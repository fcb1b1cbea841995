// Each setting's default is written once, in src/shared/settingsDefaults.ts: every setting of
// package.json has its entry there (the generator writes the value into package.json; catalog.test.ts
// checks that), and the readers' defaults are those values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_NODE_MEMORY_CAPACITY_BYTES, SETTING_DEFAULTS } from '../../src/shared/settingsDefaults';
import { DEFAULT_SETTINGS } from '../../src/core/manifest/findingTypes';
import { DEFAULT_PHASE_SETTINGS } from '../../src/core/oom/verdictTypes';
import { memoryBytes, parseQuantity } from '../../src/core/quantity';
import { resolveSettings } from '../../src/server/serverSettings';
import { CLUSTER_RANGES, clusterSettingsFrom } from '../../src/extension/clusterSettings';
import { ROOT } from '../cli/support';

void test('every oomscope setting but the per-rule severities has its default in settingsDefaults.ts', () => {
  const props = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } };
    }
  ).contributes.configuration.properties;
  const declared = Object.keys(props)
    .filter((k) => !k.startsWith('oomscope.severity.'))
    .map((k) => k.slice('oomscope.'.length))
    .sort();
  assert.deepEqual(declared, Object.keys(SETTING_DEFAULTS).sort());
});

void test('the analysis, phase and cluster defaults are the values of settingsDefaults.ts', () => {
  const parsed = parseQuantity(SETTING_DEFAULTS.nodeMemoryCapacity.default);
  assert.ok(parsed.ok);
  assert.equal(memoryBytes(parsed.quantity).bytes, DEFAULT_NODE_MEMORY_CAPACITY_BYTES);
  const warnings: string[] = [];
  const wire = {
    maxLimitRequestRatio: SETTING_DEFAULTS['rules.maxLimitRequestRatio'].default,
    nodeMemoryCapacity: SETTING_DEFAULTS.nodeMemoryCapacity.default,
    defaultMemory: SETTING_DEFAULTS['defaults.memory'].default,
  };
  assert.deepEqual(
    resolveSettings(wire, (m) => warnings.push(m)).value,
    DEFAULT_SETTINGS,
    'the server reads the declared defaults as the defaults',
  );
  assert.deepEqual(warnings, []);
  assert.equal(
    DEFAULT_PHASE_SETTINGS.precursorWindowSeconds,
    SETTING_DEFAULTS['phases.precursorWindowSeconds'].default,
  );
  const cluster = clusterSettingsFrom({ trusted: true, user: {}, effective: {} });
  assert.deepEqual(
    [cluster.refreshIntervalSeconds, cluster.requestTimeoutMs, cluster.precursorWindowSeconds],
    [
      SETTING_DEFAULTS.refreshIntervalSeconds.default,
      SETTING_DEFAULTS['cluster.requestTimeoutMs'].default,
      SETTING_DEFAULTS['phases.precursorWindowSeconds'].default,
    ],
  );
  assert.deepEqual(CLUSTER_RANGES.refreshIntervalSeconds, [10, 2, 3600]);
});
