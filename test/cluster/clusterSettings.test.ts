/** Hostile cluster/panel settings are clamped where they are read, and the declared ranges match. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_RANGES, clusterSettingsFrom, type RawClusterSettings } from '../../src/extension/clusterSettings';
import { ROOT } from '../cli/support';

const read = (effective: RawClusterSettings['effective'], more: Partial<RawClusterSettings> = {}) =>
  clusterSettingsFrom({ trusted: true, user: {}, effective, ...more });

void test('refresh interval, request timeout and precursor window are clamped to their ranges; non-numbers give the default', () => {
  assert.deepEqual(
    [0.05, 0, -5, 1e308, Infinity, 2.5].map((v) => read({ refreshIntervalSeconds: v }).refreshIntervalSeconds),
    [2, 2, 2, 3600, 3600, 2.5],
    'a workspace cannot make the panel poll 20 times a second',
  );
  assert.deepEqual(
    [NaN, '5', null, undefined, {}, true].map((v) => read({ refreshIntervalSeconds: v }).refreshIntervalSeconds),
    [10, 10, 10, 10, 10, 10],
  );
  assert.deepEqual(
    [1e12, 1, -1, 30_000, NaN].map((v) => read({ requestTimeoutMs: v }).requestTimeoutMs),
    [120_000, 500, 500, 30_000, 10_000],
  );
  assert.deepEqual(
    [0, 1e9, 600, 'x'].map((v) => read({ precursorWindowSeconds: v }).precursorWindowSeconds),
    [10, 86_400, 600, 300],
  );
});

void test('kubeconfig and Prometheus URL come from user settings only; the context from the workspace only when trusted', () => {
  const raw: RawClusterSettings = {
    trusted: false,
    user: { kubeconfig: ' /home/me/.kube/dev ', context: 'kind-dev', prometheusUrl: '' },
    effective: { context: 'prod-from-workspace' },
  };
  const untrusted = clusterSettingsFrom(raw);
  assert.equal(untrusted.kubeconfig, '/home/me/.kube/dev');
  assert.equal(untrusted.prometheusUrl, undefined);
  assert.equal(untrusted.context, 'kind-dev', 'an untrusted workspace cannot pick the context');
  assert.equal(clusterSettingsFrom({ ...raw, trusted: true }).context, 'prod-from-workspace');
  assert.equal(clusterSettingsFrom({ ...raw, user: {}, effective: { context: 42 }, trusted: true }).context, undefined);
});

void test('package.json declares the same defaults, minimums and maximums as the clamp', () => {
  const props = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: {
        configuration: { properties: Record<string, { default: number; minimum: number; maximum: number }> };
      };
    }
  ).contributes.configuration.properties;
  for (const [key, [dflt, min, max]] of Object.entries(CLUSTER_RANGES)) {
    const p = props[`oomscope.${key}`]!;
    assert.deepEqual([p.default, p.minimum, p.maximum], [dflt, min, max], key);
  }
});
