import { el } from './dom';

export const RANGES: readonly { minutes: number; label: string }[] = [
  { minutes: 15, label: '15 m' },
  { minutes: 60, label: '1 h' },
  { minutes: 360, label: '6 h' },
  { minutes: 1440, label: '24 h' },
];

/** The panel's fixed skeleton; sections are filled from snapshots. */
export interface Layout {
  title: HTMLHeadingElement;
  meta: HTMLSpanElement;
  status: HTMLSpanElement;
  liveButton: HTMLButtonElement;
  refreshButton: HTMLButtonElement;
  /** Node panels only (hidden otherwise): asks the host to read the node's kernel log. */
  kernelLogButton: HTMLButtonElement;
  error: HTMLDivElement;
  chips: HTMLUListElement;
  notes: HTMLUListElement;
  /** MemoryPressure and the PSI node conditions (KEP-5394), and where the pressure sits in words. */
  conditions: HTMLUListElement;
  scopeWords: HTMLUListElement;
  /** Swap and memory.high per container (LimitedSwap, MemoryQoS). */
  controlsSection: HTMLElement;
  controlsBody: HTMLTableSectionElement;
  rangeButtons: HTMLButtonElement[];
  resetButton: HTMLButtonElement;
  scopes: HTMLDetailsElement;
  scopeSummary: HTMLElement;
  scopeList: HTMLDivElement;
  exportButtons: Record<'csv' | 'json' | 'png', HTMLButtonElement>;
  stallCanvas: HTMLCanvasElement;
  memoryTitle: HTMLHeadingElement;
  memoryCanvas: HTMLCanvasElement;
  memoryEmpty: HTMLParagraphElement;
  timeline: HTMLOListElement;
  timelineEmpty: HTMLParagraphElement;
  budgetSection: HTMLElement;
  budgetBody: HTMLDivElement;
  podsSection: HTMLElement;
  podsBody: HTMLTableSectionElement;
  podsEmpty: HTMLParagraphElement;
}

export function buildLayout(root: HTMLElement): Layout {
  const b = (label: string, attrs: Record<string, string> = {}): HTMLButtonElement =>
    el('button', { type: 'button', ...attrs }, label);
  const l: Layout = {
    title: el('h1', { id: 'title' }),
    meta: el('span', { class: 'meta' }),
    status: el('span', { class: 'status', role: 'status' }),
    liveButton: b('Live', { class: 'toggle', 'aria-pressed': 'true', id: 'live' }),
    refreshButton: b('Refresh', { id: 'refresh' }),
    kernelLogButton: b('Read Kernel Log from Node…', {
      id: 'read-kernel-log',
      hidden: 'true',
      title: 'Creates one short-lived pod on this node that runs dmesg (you confirm first)',
    }),
    error: el('div', { class: 'error', role: 'alert', hidden: true }),
    chips: el('ul', { class: 'chips', 'aria-label': 'Data sources' }),
    notes: el('ul', { class: 'notes' }),
    conditions: el('ul', { class: 'conditions', id: 'conditions', 'aria-label': 'Node conditions' }),
    scopeWords: el('ul', { class: 'notes scope-words', id: 'scope-words', 'aria-label': 'Where the pressure sits' }),
    controlsSection: el('section', {
      class: 'card',
      'aria-labelledby': 'controls-title',
      id: 'memory-controls',
      hidden: true,
    }),
    controlsBody: el('tbody'),
    rangeButtons: RANGES.map((r) =>
      b(r.label, { 'data-minutes': String(r.minutes), 'aria-pressed': 'false', class: 'range' }),
    ),
    resetButton: b('Reset zoom', { id: 'reset-zoom', class: 'secondary' }),
    scopes: el('details', { class: 'scopes' }),
    scopeSummary: el('summary', {}, 'Scopes'),
    scopeList: el('div', { class: 'scope-list', role: 'group', 'aria-label': 'Scopes shown in the pressure chart' }),
    exportButtons: {
      csv: b('CSV', { 'data-export': 'csv', title: 'Export the shown data as CSV', class: 'secondary' }),
      json: b('JSON', { 'data-export': 'json', title: 'Export the shown data as JSON', class: 'secondary' }),
      png: b('PNG', { 'data-export': 'png', title: 'Save the pressure chart as PNG', class: 'secondary' }),
    },
    stallCanvas: el('canvas', { id: 'stall-chart', role: 'img', 'aria-label': 'Memory pressure over time' }),
    memoryTitle: el('h2', { id: 'memory-title' }, 'Working set'),
    memoryCanvas: el('canvas', { id: 'memory-chart', role: 'img', 'aria-label': 'Working set over time' }),
    memoryEmpty: el('p', { class: 'empty', hidden: true }),
    timeline: el('ol', { class: 'timeline', id: 'timeline' }),
    timelineEmpty: el('p', { class: 'empty', hidden: true }, 'No OOM kills or evictions in the data shown.'),
    budgetSection: el('section', { class: 'card', 'aria-labelledby': 'budget-title', id: 'budget', hidden: true }),
    budgetBody: el('div', { class: 'budget' }),
    podsSection: el('section', { class: 'card', 'aria-labelledby': 'pods-title', id: 'pods' }),
    podsBody: el('tbody'),
    podsEmpty: el('p', { class: 'empty', hidden: true }),
  };
  l.scopes.append(l.scopeSummary, l.scopeList);
  const key = el(
    'p',
    { class: 'key' },
    el('span', { class: 'swatch phase-pressure' }),
    'pressure ',
    el('span', { class: 'swatch phase-thrashing' }),
    'thrashing ',
    el('span', { class: 'swatch phase-severe' }),
    'severe ',
    el('span', { class: 'swatch line kill-container-limit' }),
    'own limit ',
    el('span', { class: 'swatch line kill-pod-limit' }),
    'pod limit ',
    el('span', { class: 'swatch line kill-node-allocatable' }),
    'node allocatable / parent ',
    el('span', { class: 'swatch line kill-system' }),
    'system OOM ',
    el('span', { class: 'swatch line kill-eviction' }),
    'eviction ',
    el('span', { class: 'swatch line kill-unknown' }),
    'unknown',
  );
  l.controlsSection.append(
    el('h2', { id: 'controls-title' }, 'Swap and memory.high'),
    el('p', { class: 'muted controls-caption' }),
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { id: 'controls-table' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Pod', 'Container', 'Swap limit', 'Swap in use', 'memory.high', 'Working set'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        l.controlsBody,
      ),
    ),
  );
  l.budgetSection.append(el('h2', { id: 'budget-title' }, 'Memory budget'), l.budgetBody);
  l.podsSection.append(
    el('h2', { id: 'pods-title' }, 'Pods of this manifest'),
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { id: 'pods-table' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Workload', 'Pod', 'QoS', 'Restarts', 'Last OOM', 'Pressure'].map((h) => el('th', { scope: 'col' }, h)),
          ),
        ),
        l.podsBody,
      ),
    ),
    l.podsEmpty,
  );
  root.replaceChildren(
    el(
      'header',
      { class: 'header' },
      el(
        'div',
        { class: 'title-row' },
        l.title,
        el('div', { class: 'controls' }, l.liveButton, l.refreshButton, l.kernelLogButton),
      ),
      el('p', { class: 'sub' }, l.meta, ' ', l.status),
      l.conditions,
      l.error,
      l.chips,
      l.notes,
      l.scopeWords,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'pressure-title' },
      el(
        'div',
        { class: 'toolbar' },
        el('h2', { id: 'pressure-title' }, 'Memory pressure'),
        el('div', { class: 'group', role: 'group', 'aria-label': 'Time range' }, ...l.rangeButtons, l.resetButton),
        el(
          'div',
          { class: 'group', role: 'group', 'aria-label': 'Export' },
          el('span', { class: 'muted' }, 'Export'),
          l.exportButtons.csv,
          l.exportButtons.json,
          l.exportButtons.png,
        ),
      ),
      l.scopes,
      el('div', { class: 'chart-box' }, l.stallCanvas),
      key,
      el(
        'p',
        { class: 'hint muted' },
        'Ctrl + wheel to zoom · Shift + drag to zoom to a span · drag to pan · solid line: some, dashed: full',
      ),
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'memory-title' },
      l.memoryTitle,
      el('div', { class: 'chart-box small' }, l.memoryCanvas),
      l.memoryEmpty,
    ),
    l.budgetSection,
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'timeline-title' },
      el('h2', { id: 'timeline-title' }, 'OOM kills and evictions'),
      l.timeline,
      l.timelineEmpty,
    ),
    l.controlsSection,
    l.podsSection,
  );
  return l;
}
