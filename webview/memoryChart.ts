import type { ChartDataset } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { MemorySeries } from '../src/shared/panelProtocol';
import { backgroundPlugin, Chart, paintAxes, registerChartParts, timeSeriesOptions } from './chartSetup';
import { formatSize as formatBytes } from '../src/shared/humanSize';
import { toChartPoints, type XY } from './series';
import type { Palette } from './theme';

/** Chart 2: working set against allocatable (node) or against request and limit (a pod). */
export class MemoryChart {
  readonly chart: Chart<'line', XY[]>;
  private palette: Palette;
  private series: MemorySeries | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    palette: Palette,
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
          y: {
            min: 0,
            ticks: { callback: (v) => formatBytes(Number(v)) },
            title: { display: true, text: 'working set' },
          },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb' },
          legend: { display: false },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${formatBytes(item.parsed.y ?? 0)}` },
          },
          annotation: { annotations: {} },
        },
      },
    });
    this.setPalette(palette);
  }

  setPalette(p: Palette): void {
    this.palette = p;
    paintAxes(this.chart, p);
    this.render();
  }

  setSeries(series: MemorySeries | null): void {
    this.series = series;
    this.render();
  }

  /** Follows chart 1's visible time range. */
  setRange(range: { min: number; max: number } | null): void {
    const x = this.chart.options.scales?.x;
    if (!x) return;
    x.min = range?.min;
    x.max = range?.max;
    this.chart.update('none');
  }

  private render(): void {
    const p = this.palette;
    const s = this.series;
    const color = p.series[0];
    const datasets: ChartDataset<'line', XY[]>[] = s
      ? [
          {
            label: `${s.label} working set`,
            data: toChartPoints(
              s.points,
              (pt) => pt.t,
              (pt) => pt.workingSetBytes,
            ),
            borderColor: color,
            backgroundColor: color,
            spanGaps: false,
          },
        ]
      : [];
    const lines: [string, number | undefined, string, number[]][] = [
      ['allocatable', s?.allocatableBytes, p.kill['node-allocatable'], [6, 3]],
      ['request', s?.requestBytes, p.kill.eviction, [2, 3]],
      ['limit', s?.limitBytes, p.kill['container-limit'], [6, 3]],
      // MemoryQoS: where the kernel starts throttling the container (below its limit).
      ['memory.high', s?.memoryHighBytes, p.kill['pod-limit'], [1, 2]],
    ];
    const annotations: Record<string, AnnotationOptions> = {};
    let top = 0;
    for (const [name, value, lineColor, dash] of lines) {
      if (value === undefined) continue;
      top = Math.max(top, value);
      annotations[name] = {
        type: 'line',
        yMin: value,
        yMax: value,
        borderColor: lineColor,
        borderWidth: 1.5,
        borderDash: dash,
        label: {
          display: true,
          content: `${name} ${formatBytes(value)}`,
          position: 'end',
          backgroundColor: p.background,
          color: p.foreground,
          font: { size: 11 },
        },
      };
    }
    // LimitedSwap: the container's swap limit and swap in use, beside the working set (not on its axis).
    if (s?.swapLimitBytes !== undefined || s?.swapUsageBytes !== undefined)
      this.canvas.dataset.swap = `swap ${formatBytes(s.swapUsageBytes ?? 0)} of ${s.swapLimitBytes !== undefined ? formatBytes(s.swapLimitBytes) : 'no'} swap limit`;
    else delete this.canvas.dataset.swap;
    const y = this.chart.options.scales?.y;
    if (y) y.suggestedMax = top > 0 ? top * 1.08 : undefined;
    this.chart.data.datasets = datasets;
    const plugins = this.chart.options.plugins;
    if (plugins?.annotation) plugins.annotation.annotations = annotations;
    this.chart.update('none');
    this.canvas.dataset.referenceLines = Object.keys(annotations).join(',');
    this.canvas.dataset.seriesColors = JSON.stringify(datasets.map((d) => d.borderColor));
  }
}
