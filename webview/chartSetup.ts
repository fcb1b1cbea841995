import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
  type ChartOptions,
  type Plugin,
} from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import 'chartjs-adapter-date-fns';

let registered = false;

/** Registers exactly what the panel uses (tree-shaken chart.js). */
export function registerChartParts(): void {
  if (registered) return;
  registered = true;
  Chart.register(
    LineController,
    LineElement,
    PointElement,
    LinearScale,
    TimeScale,
    Legend,
    Tooltip,
    Decimation,
    annotationPlugin,
    zoomPlugin,
  );
}

/** Paints the canvas background so an exported PNG looks like the panel. */
export function backgroundPlugin(color: () => string): Plugin<'line'> {
  return {
    id: 'oomscopeBackground',
    beforeDraw(chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = color();
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };
}

export { Chart };

/** Options both time-series charts share: no parsing (pre-sorted {x,y}), no animation, a time x axis. */
export function timeSeriesOptions(): Pick<
  ChartOptions<'line'>,
  'animation' | 'parsing' | 'normalized' | 'responsive' | 'maintainAspectRatio' | 'interaction' | 'elements'
> & {
  x: NonNullable<ChartOptions<'line'>['scales']>[string];
} {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
    x: {
      type: 'time',
      time: {
        tooltipFormat: 'MMM d, HH:mm:ss',
        displayFormats: { second: 'HH:mm:ss', minute: 'HH:mm', hour: 'HH:mm', day: 'MMM d' },
      },
      ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 24 },
    },
  };
}

/** Colours the axes (ticks, grid, border, title) of a chart from the theme palette. */
export function paintAxes(chart: Chart<'line', unknown[]>, p: { muted: string; grid: string }): void {
  for (const axis of ['x', 'y'] as const) {
    const scale = chart.options.scales?.[axis];
    if (!scale) continue;
    if (scale.ticks) scale.ticks.color = p.muted;
    if (scale.grid) scale.grid.color = p.grid;
    if (scale.border) scale.border.color = p.grid;
    if ('title' in scale && scale.title) scale.title.color = p.muted;
  }
}
