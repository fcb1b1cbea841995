import type { HostToWorkload, WorkloadSnapshot, WorkloadViewState } from '../src/shared/workloadProtocol';
import { chip } from './chips';
import { el } from './dom';
import { formatClock, formatTime } from './format';
import { observeTheme, readPalette } from './theme';
import { postWorkload, workloadApi } from './workloadApi';
import { NodePressureChart, WorkingSetChart } from './workloadCharts';
import { buildWorkloadLayout, type WorkloadLayout } from './workloadLayout';
import { renderContainers, renderDisagreements, renderKills, renderNodes, renderPods } from './workloadTables';

/** The workload panel: one analysis over a window, rendered from `workloadSnapshot` messages. */
class WorkloadApp {
  private readonly ui: WorkloadLayout;
  private readonly memory: WorkingSetChart;
  private readonly pressure: NodePressureChart;
  private view: WorkloadViewState;

  constructor(root: HTMLElement) {
    this.view = workloadApi.getState() ?? { view: 'workload', target: null };
    this.ui = buildWorkloadLayout(root);
    const palette = readPalette();
    this.memory = new WorkingSetChart(this.ui.memoryCanvas, palette);
    this.pressure = new NodePressureChart(this.ui.pressureCanvas, palette);
    this.ui.refreshButton.addEventListener('click', () => postWorkload({ type: 'refresh' }));
    observeTheme(() => {
      const p = readPalette();
      this.memory.setPalette(p);
      this.pressure.setPalette(p);
    });
  }

  handle(msg: HostToWorkload): void {
    switch (msg.type) {
      case 'workloadSnapshot':
        this.render(msg.snapshot);
        break;
      case 'status':
        this.ui.status.textContent = msg.text;
        document.body.setAttribute('aria-busy', String(msg.busy));
        break;
      case 'error':
        this.ui.error.textContent = msg.text;
        this.ui.error.hidden = false;
        break;
    }
  }

  private render(s: WorkloadSnapshot): void {
    const ui = this.ui;
    ui.error.hidden = true;
    ui.title.textContent = s.title;
    document.title = s.title;
    ui.meta.textContent = [
      `last ${s.windowLabel} (${formatTime(s.since)} – ${formatTime(s.generatedAt)})`,
      s.qosClass ? `QoS ${s.qosClass}` : null,
      s.selector ? `selector ${s.selector}` : null,
      `updated ${formatClock(s.generatedAt)}`,
    ]
      .filter(Boolean)
      .join(' · ');
    ui.chips.replaceChildren(...Object.entries(s.sources).map(([name, state]) => chip(name, state)));
    ui.missing.replaceChildren(
      ...Object.entries(s.sources)
        .filter(([, state]) => state !== 'ok')
        .map(([name, state]) => el('li', { 'data-source': name }, el('strong', {}, name), ` ${state}`)),
    );
    ui.notes.replaceChildren(...s.notes.map((n) => el('li', {}, n)));
    const range = { min: s.since, max: s.generatedAt };
    const kills = [...s.ooms, ...s.evictions];
    this.memory.setView(s.series, kills, range);
    ui.memoryEmpty.hidden = s.series.length > 0;
    // No samples: the sentence instead of an empty chart (whose axis would read 0 B … 1 B).
    ui.memoryCanvas.parentElement?.toggleAttribute('hidden', s.series.length === 0);
    this.pressure.setView(s.nodes, kills, range);
    const psi = s.nodes.some((n) => n.pressure.length > 0);
    ui.pressureEmpty.hidden = psi;
    ui.pressureCanvas.parentElement?.toggleAttribute('hidden', !psi);
    renderNodes(ui.nodes, s.nodes);
    renderKills(ui.killsBody, s.ooms);
    ui.killsEmpty.hidden = s.ooms.length > 0;
    renderKills(ui.evictionsBody, s.evictions);
    ui.evictionsEmpty.hidden = s.evictions.length > 0;
    ui.evictionsBody.closest('table')?.toggleAttribute('hidden', s.evictions.length === 0);
    ui.killsBody.closest('table')?.toggleAttribute('hidden', s.ooms.length === 0);
    renderContainers(ui.containersBody, s.containers);
    renderPods(ui.podsBody, s.pods);
    ui.podsEmpty.hidden = s.pods.length > 0;
    renderDisagreements(ui.disagreements, s);
    ui.disagreementsSection.hidden = s.disagreements.length === 0;
    this.view = { view: 'workload', target: s.target };
    workloadApi.setState(this.view);
    document.body.dataset.snapshotAt = String(s.generatedAt);
  }
}

/** Builds the workload view in `root` and tells the host it is ready. */
export function startWorkloadView(root: HTMLElement): void {
  const app = new WorkloadApp(root);
  window.addEventListener('message', (event: MessageEvent<HostToWorkload>) => {
    const msg = event.data;
    if (msg && typeof msg === 'object' && typeof msg.type === 'string') app.handle(msg);
  });
  postWorkload({ type: 'ready' });
}
