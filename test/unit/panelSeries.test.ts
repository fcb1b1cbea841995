// The webview's series preparation (pure): sorted {x,y}, NaN inside gaps, capped with peaks kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_POINTS_PER_SERIES, toChartPoints, typicalInterval } from '../../webview/series';

const pts = (ts: number[], y: (i: number) => number = () => 1): { t: number; v: number }[] =>
  ts.map((t, i) => ({ t, v: y(i) }));

void test('a gap longer than 3 poll intervals breaks the line; shorter ones do not', () => {
  const ts = [0, 10, 20, 30, 100, 110, 120, 145].map((s) => s * 1000);
  const out = toChartPoints(
    pts(ts),
    (p) => p.t,
    (p) => p.v,
  );
  const gaps = out.filter((p) => Number.isNaN(p.y));
  assert.equal(gaps.length, 1, 'one gap (30 s → 100 s); 120 → 145 s is 2.5 intervals');
  assert.ok(gaps[0].x > 30_000 && gaps[0].x < 100_000);
  assert.equal(typicalInterval(ts), 10_000);
});

void test('unsorted input is sorted; null values become NaN (a break, not zero)', () => {
  const out = toChartPoints(
    [
      { t: 20, v: 3 },
      { t: 0, v: 1 },
      { t: 10, v: null },
    ],
    (p) => p.t,
    (p) => p.v,
  );
  assert.deepEqual(
    out.map((p) => p.x),
    [0, 10, 20],
  );
  assert.ok(Number.isNaN(out[1].y));
});

void test('24 h at 10 s is capped per series and keeps the peak and the gap', () => {
  const ts = Array.from({ length: 8640 }, (_, i) => i * 10_000).filter((t) => t < 40_000_000 || t > 40_600_000);
  const out = toChartPoints(
    pts(ts, (i) => (i === 5000 ? 97 : i % 10)),
    (p) => p.t,
    (p) => p.v,
  );
  assert.ok(out.length <= MAX_POINTS_PER_SERIES, `${out.length} points`);
  assert.ok(
    out.some((p) => p.y === 97),
    'peak kept',
  );
  assert.ok(
    out.some((p) => Number.isNaN(p.y)),
    'gap kept',
  );
  for (let i = 1; i < out.length; i++) assert.ok(out[i].x >= out[i - 1].x, 'sorted');
});
