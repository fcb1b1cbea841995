import type { HostToPanel, PanelSnapshot, PanelViewState } from '../src/shared/panelProtocol';
import { chip } from './chips';
import { el } from './dom';
import { formatClock } from './format';
import { buildLayout, RANGES, type Layout } from './layout';
import { MemoryChart } from './memoryChart';
import { podScope, renderPods } from './podsTable';
import { renderBudget } from './budget';
import { StallChart } from './stallChart';
import { observeTheme, readPalette } from './theme';
import { renderTimeline } from './timeline';
import { renderConditions, renderMemoryControls } from './conditions';
import { post, vscode } from './vscodeApi';
import { startWorkloadView } from './workloadApp';

const MINUTE = 60_000;

class PanelApp {
  private readonly ui: Layout;
  private readonly stall: StallChart;
  private readonly memory: MemoryChart;
  private snapshot: PanelSnapshot | null = null;
  private view: PanelViewState;
  /** No saved view: the first snapshot with long history opens on its last hour. */
  private pickInitialRange: boolean;
  /** The user chose a range (button, zoom, reset, "Show on chart"), or a saved view was restored: keep it. */
  private userRanged: boolean;
  /** The kill the range was last moved to: a newer kill moves it again, until the user chooses a range. */
  private storyKill: string | null = null;

  constructor(root: HTMLElement) {
    const saved = vscode.getState();
    this.pickInitialRange = !saved;
    this.userRanged = !!saved;
    this.view = saved ?? { target: null, rangeMinutes: null, live: true, shownScopes: ['node'], selectedScope: null };
    this.ui = buildLayout(root);
    const palette = readPalette();
    this.stall = new StallChart(this.ui.stallCanvas, palette, () => this.onUserZoom());
    this.memory = new MemoryChart(this.ui.memoryCanvas, palette);
    this.wire();
    observeTheme(() => this.onTheme());
    this.renderLive();
  }

  handle(msg: HostToPanel): void {
    switch (msg.type) {
      case 'snapshot':
        this.setSnapshot(msg.snapshot);
        break;
      case 'status':
        this.ui.status.textContent = msg.text;
        document.body.setAttribute('aria-busy', String(msg.busy));
        break;
      case 'error':
        this.ui.error.textContent = msg.text;
        this.ui.error.hidden = false;
        break;
      case 'exportDone':
        this.ui.status.textContent = `Saved ${msg.path}`;
        break;
    }
  }

  private wire(): void {
    const ui = this.ui;
    ui.liveButton.addEventListener('click', () => {
      this.view.live = !this.view.live;
      this.renderLive();
      this.save();
      post({ type: 'setLive', live: this.view.live });
    });
    ui.refreshButton.addEventListener('click', () => post({ type: 'refresh' }));
    ui.kernelLogButton.addEventListener('click', () => post({ type: 'readKernelLog' }));
    ui.rangeButtons.forEach((btn, i) =>
      btn.addEventListener('click', () => {
        this.userRanged = true;
        this.view.rangeMinutes = RANGES[i].minutes;
        this.applyRange();
        this.save();
      }),
    );
    ui.resetButton.addEventListener('click', () => {
      this.userRanged = true;
      this.view.rangeMinutes = null;
      this.stall.resetZoom();
      this.syncRange();
      this.save();
    });
    for (const format of ['csv', 'json', 'png'] as const) {
      ui.exportButtons[format].addEventListener('click', () => {
        const range = this.stall.visibleRange() ?? undefined;
        const scopes = this.shownScopes();
        post(
          format === 'png'
            ? { type: 'export', format, data: this.stall.toPng(), range, scopes }
            : { type: 'export', format, range, scopes },
        );
      });
    }
  }

  private setSnapshot(s: PanelSnapshot): void {
    this.snapshot = s;
    const ui = this.ui;
    this.view.target = s.target;
    this.view.live = s.live;
    ui.error.hidden = true;
    ui.title.textContent = s.title;
    document.title = s.title;
    ui.kernelLogButton.hidden = s.target.kind !== 'node';
    const where =
      s.target.kind === 'node' && !s.title.includes(s.target.context) ? `context ${s.target.context} · ` : '';
    ui.meta.textContent = `${where}updated ${formatClock(s.generatedAt)}`;
    this.renderLive();
    ui.chips.replaceChildren(...Object.entries(s.sources).map(([name, state]) => chip(name, state)));
    ui.notes.replaceChildren(...s.notes.map((n) => el('li', {}, n)));
    renderConditions(ui.conditions, ui.scopeWords, s);
    renderMemoryControls(ui.controlsSection, ui.controlsBody, s);
    this.renderScopes();
    this.renderCharts();
    renderTimeline(ui.timeline, s.kills, {
      goToManifest: (uri, line) => post({ type: 'goToManifest', uri, line }),
      showOnChart: (t) => {
        this.userRanged = true;
        this.view.rangeMinutes = null;
        this.stall.showRange(t - 10 * MINUTE, t + 5 * MINUTE);
        this.syncRange();
      },
    });
    ui.timelineEmpty.hidden = s.kills.length > 0;
    renderBudget(ui.budgetSection, ui.budgetBody, s.budget);
    this.renderPods();
    this.save();
    document.body.dataset.snapshotAt = String(s.generatedAt);
  }

  private shownScopes(): string[] {
    const available = new Set(this.snapshot?.stall.map((x) => x.scope) ?? []);
    const shown = (this.view.shownScopes ?? []).filter((sc) => available.has(sc));
    if (shown.length === 0 && this.snapshot?.stall.length)
      shown.push(available.has('node') ? 'node' : this.snapshot.stall[0].scope);
    return shown;
  }

  private renderScopes(): void {
    const s = this.snapshot;
    if (!s) return;
    const shown = new Set(this.shownScopes());
    this.ui.scopeSummary.textContent = `Scopes: ${shown.size} of ${s.stall.length} shown`;
    this.ui.scopeList.replaceChildren(
      ...s.stall.map((series) => {
        const box = el('input', { type: 'checkbox', value: series.scope, checked: shown.has(series.scope) });
        box.addEventListener('change', () => {
          const next = new Set(this.shownScopes());
          if (box.checked) next.add(series.scope);
          else next.delete(series.scope);
          this.view.shownScopes = [...next];
          this.renderScopes();
          this.renderCharts();
          this.save();
        });
        return el('label', {}, box, ' ', series.label);
      }),
    );
    this.ui.scopes.hidden = s.stall.length <= 1;
  }

  private renderCharts(): void {
    const s = this.snapshot;
    if (!s) return;
    const shown = this.shownScopes();
    const series = shown.map((sc) => s.stall.find((x) => x.scope === sc)).filter((x) => x !== undefined);
    const shownSet = new Set(shown);
    this.stall.setView({ series, phases: s.phases.filter((p) => shownSet.has(p.scope)), kills: s.kills });
    const span = this.historySpan();
    // Opened on the story (the latest OOM kill and its precursor window); a kill that arrives later, in a live
    // panel whose range the user has not chosen, moves it there too.
    let story: { min: number; max: number } | null = null;
    if (span && !this.userRanged) {
      const found = storyRange(s, span);
      if (found && found.kill !== this.storyKill) {
        story = found;
        this.storyKill = found.kill;
        this.view.rangeMinutes = null;
      }
    }
    if (this.pickInitialRange && span) {
      this.pickInitialRange = false;
      if (!story && span.max - span.min > 2 * 60 * MINUTE) this.view.rangeMinutes = initialRange(s, span.max);
    }
    this.updateRangeButtons();
    this.applyRange();
    // Opened on the story: the latest kill and its precursor window (no range button is pressed).
    if (story) {
      this.stall.showRange(story.min, story.max);
      this.syncRange();
    }
    this.renderMemory();
  }

  private renderMemory(): void {
    const s = this.snapshot;
    if (!s) return;
    const selected = this.view.selectedScope ?? null;
    const pod = selected ? s.manifestPods.find((p) => podScope(p) === selected) : undefined;
    const series = selected
      ? s.memory.find((m) => m.scope === selected)
      : (s.memory.find((m) => m.scope === 'node') ?? s.memory[0]);
    this.ui.memoryTitle.textContent = pod
      ? `Working set of ${pod.pod} vs its request and limit`
      : s.target.kind === 'node'
        ? 'Node working set vs allocatable'
        : 'Working set';
    this.ui.memoryEmpty.hidden = series !== undefined;
    this.ui.memoryEmpty.textContent = pod ? `No memory samples for ${pod.pod} yet.` : 'No memory samples yet.';
    this.memory.setSeries(series ?? null);
    this.memory.setRange(this.stall.visibleRange());
  }

  private renderPods(): void {
    const s = this.snapshot;
    if (!s) return;
    const hasManifest = s.manifestPods.length > 0;
    this.ui.podsEmpty.hidden = hasManifest;
    this.ui.podsEmpty.textContent =
      s.target.kind === 'node'
        ? 'No pod on this node belongs to a workload of the active manifest.'
        : 'Manifest pods are shown for cluster nodes.';
    this.ui.podsBody.closest('table')?.toggleAttribute('hidden', !hasManifest);
    renderPods(this.ui.podsBody, s.manifestPods, this.view.selectedScope ?? null, {
      goToManifest: (uri, line) => post({ type: 'goToManifest', uri, line }),
      analyzeWorkload: (workload, namespace) => post({ type: 'analyzeWorkload', workload, namespace }),
      select: (scope) => {
        const deselect = this.view.selectedScope === scope;
        this.view.selectedScope = deselect ? null : scope;
        if (!deselect && s.stall.some((x) => x.scope === scope))
          this.view.shownScopes = [...new Set([...this.shownScopes(), scope])];
        this.renderScopes();
        this.renderCharts();
        this.renderPods();
        this.save();
      },
    });
  }

  private historySpan(): { min: number; max: number } | null {
    let min = Infinity;
    let max = -Infinity;
    for (const series of this.snapshot?.stall ?? []) {
      for (const p of series.points) {
        if (p.t < min) min = p.t;
        if (p.t > max) max = p.t;
      }
    }
    return min === Infinity ? null : { min, max };
  }

  private updateRangeButtons(): void {
    const span = this.historySpan();
    const minutes = span ? (span.max - span.min) / MINUTE : 0;
    this.ui.rangeButtons.forEach((btn, i) => {
      const enabled = span !== null && (i === 0 || minutes > RANGES[i - 1].minutes);
      btn.disabled = !enabled;
      btn.title = enabled
        ? `Show the last ${RANGES[i].label}`
        : `Less than ${RANGES[i - 1]?.label ?? ''} of history so far`;
    });
  }

  private applyRange(): void {
    const r = this.view.rangeMinutes;
    const ext = this.stall.dataExtent();
    this.ui.rangeButtons.forEach((btn, i) => btn.setAttribute('aria-pressed', String(RANGES[i].minutes === r)));
    if (r !== null && ext) this.stall.showRange(ext.max - r * MINUTE, ext.max);
    this.syncRange();
  }

  private onUserZoom(): void {
    this.userRanged = true;
    this.view.rangeMinutes = null;
    this.ui.rangeButtons.forEach((btn) => btn.setAttribute('aria-pressed', 'false'));
    this.syncRange();
    this.save();
  }

  private syncRange(): void {
    this.memory.setRange(this.stall.visibleRange());
  }

  private onTheme(): void {
    const palette = readPalette();
    this.stall.setPalette(palette);
    this.memory.setPalette(palette);
    this.syncRange();
  }

  private renderLive(): void {
    this.ui.liveButton.setAttribute('aria-pressed', String(this.view.live));
    this.ui.liveButton.textContent = this.view.live ? 'Live' : 'Paused';
    this.ui.liveButton.title = this.view.live
      ? 'Refreshing automatically; click to pause'
      : 'Paused; click to refresh automatically';
  }

  private save(): void {
    vscode.setState(this.view);
  }
}

/**
 * Where a panel opens: the latest dated OOM kill (else eviction), its precursor window before it (+10 % margin) and a
 * little after it (a fifth of the window, at least a minute), starting no earlier than the data. Null
 * without a dated kill in the data: then the range buttons decide.
 */
function storyRange(
  s: PanelSnapshot,
  span: { min: number; max: number },
): { min: number; max: number; kill: string } | null {
  const dated = s.kills.filter((k) => k.t !== null && k.t >= span.min && k.t <= span.max);
  // An OOM kill tells the story the panel is for; an eviction only when there is no kill.
  const chosen = dated.some((k) => k.kind !== 'eviction') ? dated.filter((k) => k.kind !== 'eviction') : dated;
  if (chosen.length === 0) return null;
  const latest = chosen.reduce((a, b) => ((b.t ?? 0) > (a.t ?? 0) ? b : a));
  const kill = latest.t ?? 0;
  const windowMs = s.precursorWindowSeconds * 1000;
  return {
    min: Math.max(span.min, kill - 1.1 * windowMs),
    max: kill + Math.max(MINUTE, 0.2 * windowMs),
    kill: latest.id,
  };
}

/** The smallest range button that holds every dated kill and phase (+5 min), else 1 h. */
function initialRange(s: PanelSnapshot, end: number): number {
  const times = [...s.kills.map((k) => k.t), ...s.phases.map((p) => p.start)].filter((t): t is number => t !== null);
  if (times.length === 0) return 60;
  const needed = (end - Math.min(...times)) / MINUTE + 5;
  return RANGES.find((r) => r.minutes >= needed)?.minutes ?? 1440;
}

const root = document.getElementById('app');
if (root?.dataset.view === 'workload') {
  startWorkloadView(root);
} else if (root) {
  const app = new PanelApp(root);
  window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
    const msg = event.data;
    if (msg && typeof msg === 'object' && typeof msg.type === 'string') app.handle(msg);
  });
  post({ type: 'ready' });
}
