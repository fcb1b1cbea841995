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
  Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, Legend, Tooltip, Decimation, annotationPlugin, zoomPlugin);
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
