/** The webview's `export` message is checked on the host: invalid fields are refused with a reason, never thrown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportRequestOf } from '../../src/panel/panelMessages';
import { toJson } from '../../src/panel/exportData';
import type { PanelSnapshot } from '../../src/shared/panelProtocol';

void test('a valid export message keeps only format, PNG data, range and scopes', () => {
  const r = exportRequestOf({
    type: 'export',
    format: 'csv',
    range: { min: 1, max: 2, extra: 1 },
    scopes: ['node', 'pod:a/b'],
    data: 'ignored',
    view: { evil: true },
  });
  assert.deepEqual(r, { format: 'csv', view: { range: { min: 1, max: 2 }, scopes: ['node', 'pod:a/b'] } });
  assert.deepEqual(exportRequestOf({ type: 'export', format: 'png', data: 'data:image/png;base64,AAAA' }), {
    format: 'png',
    data: 'data:image/png;base64,AAAA',
    view: {},
  });
  assert.deepEqual(
    exportRequestOf({ type: 'export', format: 'png', data: 7 }),
    { format: 'png', view: {} },
    'no image: the host tells the user the chart could not be read',
  );
  assert.deepEqual(exportRequestOf({ type: 'export', format: 'json', range: null, scopes: null }), {
    format: 'json',
    view: {},
  });
});

void test('invalid format, range or scopes are refused with a reason; nothing hostile throws', () => {
  const invalid: unknown[] = [
    null,
    5,
    'export',
    [],
    { type: 'export' },
    { type: 'export', format: 'exe' },
    { type: 'export', format: '../../../etc/passwd' },
    { type: 'export', format: ['csv'] },
    { type: 'export', format: 'csv', scopes: 5 },
    { type: 'export', format: 'csv', scopes: ['node', 5] },
    { type: 'export', format: 'csv', scopes: 'node' },
    { type: 'export', format: 'csv', scopes: Array.from({ length: 10_001 }, () => 'x') },
    { type: 'export', format: 'csv', scopes: ['x'.repeat(1001)] },
    { type: 'export', format: 'csv', range: 5 },
    { type: 'export', format: 'csv', range: { min: 'a', max: 2 } },
    { type: 'export', format: 'csv', range: { min: NaN, max: 2 } },
    { type: 'export', format: 'csv', range: { min: 0, max: Infinity } },
    { type: 'export', format: 'csv', range: { min: 3, max: 2 } },
    { type: 'export', format: 'png', data: 'x'.repeat(64 * 1024 * 1024 + 1) },
  ];
  for (const m of invalid) {
    const r = exportRequestOf(m);
    assert.ok(
      'invalid' in r && typeof r.invalid === 'string' && r.invalid.length > 0,
      `refused: ${JSON.stringify(m)?.slice(0, 80)}`,
    );
  }
});

void test('the exported JSON holds the checked view, not what else the webview sent', () => {
  const snap: PanelSnapshot = {
    title: 't',
    target: { kind: 'local' },
    generatedAt: 0,
    precursorWindowSeconds: 300,
    node: null,
    sources: {},
    stall: [],
    memory: [],
    phases: [],
    kills: [],
    manifestPods: [],
    notes: [],
    live: false,
  };
  const r = exportRequestOf({
    type: 'export',
    format: 'json',
    scopes: ['node'],
    range: { min: 0, max: 1 },
    view: { injected: 'x' },
    injected: 'y',
  });
  assert.ok(!('invalid' in r));
  if ('invalid' in r) return;
  const j = JSON.parse(toJson(snap, r.view)) as { view: unknown };
  assert.deepEqual(j.view, { range: { min: 0, max: 1 }, scopes: ['node'] });
});
