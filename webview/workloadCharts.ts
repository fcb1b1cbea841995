import type { ChartDataset } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { WorkloadKillRow, WorkloadLine, WorkloadNodeRow } from '../src/shared/workloadProtocol';
import { formatSize } from '../src/shared/humanSize';
import { backgroundPlugin, Chart, paintAxes, registerChartParts, timeSeriesOptions } from './chartSetup';
import { formatTime } from './format';
import { toChartPoints, type XY } from './series';
import type { Palette } from './theme';

type LineDataset = ChartDataset<'line', XY[]>;
type Range = { min: number; max: number };

/** A line chart over the workload's window (both charts share it), with a kill line per dated kill. */
abstract class WindowChart {
  readonly chart: Chart<'line', XY[]>;
  protected palette: Palette;
  protected kills: WorkloadKillRow[] = [];
  protected range: Range | null = null;

  constructor(
    protected readonly canvas: HTMLCanvasElement,
    palette: Palette,
    yTitle: string,
    yTick: (v: number) => string,
    tooltip: (label: string, y: number) => string,
  ) {
    registerChartParts();
    this.palette = palette;
    const { x, ...base } = timeSeriesOptions();
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [backgroundPlugin(() => this.palette.background)],
      options: {
        ...base,
        scales: {
          x,
          y: { min: 0, ticks: { callback: (v) => yTick(Number(v)) }, title: { display: true, text: yTitle } },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb' },
          legend: { display: true, position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: { callbacks: { label: (item) => tooltip(item.dataset.label ?? '', item.parsed.y ?? 0) } },
          annotation: { annotations: {} },
        },
      },
    });
  }

  setPalette(p: Palette): void {
    this.palette = p;
    paintAxes(this.chart, p);
    const legend = this.chart.options.plugins?.legend?.labels;
    if (legend) legend.color = p.foreground;
    this.render();
  }

  protected color(i: number): string {
    return this.palette.series[i % this.palette.series.length];
  }

  protected killLines(): Record<string, AnnotationOptions> {
    const p = this.palette;
    const out: Record<string, AnnotationOptions> = {};
    for (const k of this.kills) {
      if (k.t === null) continue;
      const color = p.kill[k.class];
      out[`kill-${k.id}`] = {
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
            [k.pod, k.container].filter(Boolean).join(' › '),
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
    return out;
  }

  protected draw(datasets: LineDataset[], annotations: Record<string, AnnotationOptions>, top: number): void {
    const x = this.chart.options.scales?.x;
    if (x) {
      x.min = this.range?.min;
      x.max = this.range?.max;
    }
    const y = this.chart.options.scales?.y;
    if (y) y.suggestedMax = top > 0 ? top * 1.08 : undefined;
    this.chart.data.datasets = datasets;
    const plugins = this.chart.options.plugins;
    if (plugins?.annotation) plugins.annotation.annotations = annotations;
    this.chart.update('none');
    const kills = Object.entries(annotations)
      .filter(([key]) => key.startsWith('kill-'))
      .map(([, a]) => a);
    this.canvas.dataset.datasets = String(datasets.length);
    this.canvas.dataset.seriesColors = JSON.stringify(datasets.map((d) => d.borderColor));
    this.canvas.dataset.killMarkers = String(kills.length);
    this.canvas.dataset.killColors = JSON.stringify(kills.map((a) => a.borderColor));
  }

  protected abstract render(): void;
}

/** Working set per container of the workload, each against its own limit (dashed) and request (dotted). */
export class WorkingSetChart extends WindowChart {
  private lines: WorkloadLine[] = [];

  constructor(canvas: HTMLCanvasElement, palette: Palette) {
    super(canvas, palette, 'working set', formatSize, (label, y) => `${label}: ${formatSize(y)}`);
    this.setPalette(palette);
  }

  setView(lines: WorkloadLine[], kills: WorkloadKillRow[], range: Range): void {
    this.lines = lines;
    this.kills = kills;
    this.range = range;
    this.render();
  }

  protected render(): void {
    const p = this.palette;
    const datasets: LineDataset[] = [];
    const annotations: Record<string, AnnotationOptions> = {};
    const refs: { label: string; color: string; limitBytes: number | null; requestBytes: number | null }[] = [];
    let top = 0;
    this.lines.forEach((line, i) => {
      const color = this.color(i);
      const data = toChartPoints(
        line.points,
        (pt) => pt.t,
        (pt) => pt.workingSetBytes,
      );
      for (const pt of data) if (pt.y > top) top = pt.y;
      datasets.push({ label: line.label, data, borderColor: color, backgroundColor: color, spanGaps: false });
      const reference = (name: 'limit' | 'request', value: number | undefined, dash: number[]): void => {
        if (value === undefined) return;
        top = Math.max(top, value);
        annotations[`${name}-${i}`] = {
          type: 'line',
          yMin: value,
          yMax: value,
          borderColor: color,
          borderWidth: name === 'limit' ? 1.5 : 1,
          borderDash: dash,
          drawTime: 'beforeDatasetsDraw',
          label: {
            display: name === 'limit',
            content: `${line.label} ${name} ${formatSize(value)}`,
            position: 'end',
            backgroundColor: p.background,
            color: p.foreground,
            font: { size: 11 },
          },
        };
      };
      reference('limit', line.limitBytes, [6, 3]);
      reference('request', line.requestBytes, [2, 3]);
      refs.push({
        label: line.label,
        color,
        limitBytes: line.limitBytes ?? null,
        requestBytes: line.requestBytes ?? null,
      });
    });
    Object.assign(annotations, this.killLines());
    this.draw(datasets, annotations, top);
    this.canvas.dataset.references = JSON.stringify(refs);
  }
}

/** Memory PSI (some, solid; full, dashed) of each node that ran the workload, with the kills. */
export class NodePressureChart extends WindowChart {
  private nodes: WorkloadNodeRow[] = [];

  constructor(canvas: HTMLCanvasElement, palette: Palette) {
    super(
      canvas,
      palette,
      'memory stall %',
      (v) => `${v}%`,
      (label, y) => `${label}: ${y.toFixed(1)}%`,
    );
    this.setPalette(palette);
  }

  setView(nodes: WorkloadNodeRow[], kills: WorkloadKillRow[], range: Range): void {
    this.nodes = nodes.filter((n) => n.pressure.length > 0);
    this.kills = kills;
    this.range = range;
    this.render();
  }

  protected render(): void {
    const datasets: LineDataset[] = [];
    let top = 0;
    this.nodes.forEach((n, i) => {
      const color = this.color(i);
      const some = toChartPoints(
        n.pressure,
        (pt) => pt.t,
        (pt) => pt.some,
      );
      for (const pt of some) if (pt.y > top) top = pt.y;
      datasets.push({
        label: `${n.name} some`,
        data: some,
        borderColor: color,
        backgroundColor: color,
        spanGaps: false,
      });
      if (n.pressure.some((pt) => pt.full !== null))
        datasets.push({
          label: `${n.name} full`,
          data: toChartPoints(
            n.pressure,
            (pt) => pt.t,
            (pt) => pt.full,
          ),
          borderColor: color,
          backgroundColor: color,
          borderDash: [4, 3],
          borderWidth: 1,
          spanGaps: false,
        });
    });
    this.draw(datasets, this.killLines(), Math.max(top, 10));
    this.canvas.dataset.nodeLines = String(this.nodes.length);
  }
}
