import type { ChartDataset } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { KillMarker, StallSeries } from '../src/shared/panelProtocol';
import type { PhaseInterval } from '../src/core/oom/verdictTypes';
import { backgroundPlugin, Chart, paintAxes, registerChartParts, timeSeriesOptions } from './chartSetup';
import { formatTime } from './format';
import { toChartPoints, type XY } from './series';
import type { Palette } from './theme';

export interface StallView {
  series: StallSeries[];
  phases: PhaseInterval[];
  kills: KillMarker[];
}

type LineDataset = ChartDataset<'line', XY[]>;

/** Chart points per series object: a snapshot's series are converted once, not on every toggle. */
const converted = new WeakMap<StallSeries, { some: XY[]; full: XY[] | null }>();

function chartPoints(s: StallSeries): { some: XY[]; full: XY[] | null } {
  let c = converted.get(s);
  if (!c) {
    const hasFull = s.points.some((pt) => pt.fullPercent !== null);
    c = {
      some: toChartPoints(
        s.points,
        (pt) => pt.t,
        (pt) => pt.somePercent,
      ),
      full: hasFull
        ? toChartPoints(
            s.points,
            (pt) => pt.t,
            (pt) => pt.fullPercent,
          )
        : null,
    };
    converted.set(s, c);
  }
  return c;
}

/** Chart 1: memory some/full % per shown scope, phase boxes, kill and eviction lines. */
export class StallChart {
  readonly chart: Chart<'line', XY[]>;
  private palette: Palette;
  private view: StallView = { series: [], phases: [], kills: [] };
  private dataEnd: number | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    palette: Palette,
    onUserZoom: () => void,
  ) {
    registerChartParts();
    this.palette = palette;
    const { x: xScale, ...base } = timeSeriesOptions();
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [backgroundPlugin(() => this.palette.background)],
      options: {
        ...base,
        scales: {
          x: xScale,
          y: { min: 0, suggestedMax: 20, max: 100, title: { display: true, text: 'stalled on memory (% of time)' } },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb' },
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label ?? ''}: ${(item.parsed.y ?? 0).toFixed(1)}%`,
            },
          },
          annotation: { annotations: {} },
          zoom: {
            limits: { x: { min: 'original', max: 'original', minRange: 60_000 } },
            zoom: {
              wheel: { enabled: true, modifierKey: 'ctrl' },
              drag: { enabled: true, modifierKey: 'shift' },
              mode: 'x',
              onZoomComplete: onUserZoom,
            },
            pan: { enabled: true, mode: 'x', onPanComplete: onUserZoom },
          },
        },
      },
    });
    this.applyPalette(palette);
  }

  setPalette(palette: Palette): void {
    this.applyPalette(palette);
    this.render();
  }

  /** Replaces the data; keeps the user's zoom. */
  setView(view: StallView): void {
    this.view = view;
    this.render();
  }

  /** Earliest and latest sample time across shown series. */
  dataExtent(): { min: number; max: number } | null {
    let min = Infinity;
    let max = -Infinity;
    for (const ds of this.chart.data.datasets) {
      const pts = ds.data;
      if (pts.length === 0) continue;
      min = Math.min(min, pts[0].x);
      max = Math.max(max, pts[pts.length - 1].x);
    }
    return min === Infinity ? null : { min, max };
  }

  visibleRange(): { min: number; max: number } | null {
    const x = this.chart.scales.x;
    return x ? { min: x.min, max: x.max } : null;
  }

  showRange(min: number, max: number): void {
    this.chart.zoomScale('x', { min, max }, 'none');
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
  }

  toPng(): string {
    return this.canvas.toDataURL('image/png');
  }

  private applyPalette(p: Palette): void {
    this.palette = p;
    const o = this.chart.options;
    paintAxes(this.chart, p);
    if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = p.foreground;
    const drag = o.plugins?.zoom?.zoom?.drag;
    if (drag) {
      drag.backgroundColor = p.pressure;
      drag.borderColor = p.muted;
    }
  }

  private render(): void {
    const p = this.palette;
    const datasets: LineDataset[] = [];
    this.view.series.forEach((s, i) => {
      const color = p.series[i % p.series.length];
      const pts = chartPoints(s);
      datasets.push({
        label: `${s.label} some`,
        data: pts.some,
        borderColor: color,
        backgroundColor: color,
        spanGaps: false,
      });
      if (pts.full) {
        datasets.push({
          label: `${s.label} full`,
          data: pts.full,
          borderColor: color,
          backgroundColor: color,
          borderDash: [5, 3],
          spanGaps: false,
        });
      }
    });
    this.chart.data.datasets = datasets;
    const ext = this.dataExtent();
    this.dataEnd = ext?.max ?? null;
    const annotations: Record<string, AnnotationOptions> = {};
    this.view.phases.forEach((ph, i) => {
      annotations[`phase-${i}`] = {
        type: 'box',
        xMin: ph.start,
        xMax: ph.end ?? this.dataEnd ?? ph.start,
        backgroundColor: p[ph.phase],
        borderWidth: 0,
        drawTime: 'beforeDatasetsDraw',
      };
    });
    for (const k of this.view.kills) {
      if (k.t === null) continue;
      const color = p.kill[k.class];
      annotations[`kill-${k.id}`] = {
        type: 'line',
        xMin: k.t,
        xMax: k.t,
        borderColor: color,
        borderWidth: 2,
        borderDash: k.kind === 'eviction' ? [4, 3] : [],
        drawTime: 'afterDatasetsDraw',
        label: {
          display: false,
          content: [
            `${k.kind === 'eviction' ? 'Eviction' : 'OOM kill'} ${formatTime(k.t)}`,
            k.pod ?? k.container ?? '',
            k.classText,
          ].filter(Boolean),
          position: 'start',
          backgroundColor: p.background,
          color: p.foreground,
          borderColor: color,
          borderWidth: 1,
          font: { size: 11 },
        },
        enter: ({ element }) => {
          if (element.label) element.label.options.display = true;
          return true;
        },
        leave: ({ element }) => {
          if (element.label) element.label.options.display = false;
          return true;
        },
      };
    }
    const plugins = this.chart.options.plugins;
    if (plugins?.annotation) plugins.annotation.annotations = annotations;
    this.chart.update('none');
    this.describe(annotations, datasets);
  }

  /** Data attributes the tests (and screen readers' summaries) read from the real chart config. */
  private describe(annotations: Record<string, AnnotationOptions>, datasets: LineDataset[]): void {
    const values = Object.values(annotations);
    this.canvas.dataset.phaseBoxes = String(values.filter((a) => a.type === 'box').length);
    this.canvas.dataset.killMarkers = String(values.filter((a) => a.type === 'line').length);
    this.canvas.dataset.datasets = String(datasets.length);
    this.canvas.dataset.seriesColors = JSON.stringify(datasets.map((d) => d.borderColor));
    this.canvas.dataset.killColors = JSON.stringify(values.filter((a) => a.type === 'line').map((a) => a.borderColor));
    this.canvas.dataset.points = String(datasets.reduce((n, d) => n + d.data.length, 0));
  }
}
