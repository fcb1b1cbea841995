import { el } from './dom';
import { CONTAINER_HEADERS, KILL_HEADERS, POD_HEADERS, table } from './workloadTables';

/** The workload panel's skeleton, in the node panel's order: header, charts, kills, tables. */
export interface WorkloadLayout {
  title: HTMLHeadingElement;
  meta: HTMLSpanElement;
  status: HTMLSpanElement;
  refreshButton: HTMLButtonElement;
  error: HTMLDivElement;
  chips: HTMLUListElement;
  /** Each missing source's sentence in full (a chip shortens it). */
  missing: HTMLUListElement;
  notes: HTMLUListElement;
  memoryCanvas: HTMLCanvasElement;
  memoryEmpty: HTMLParagraphElement;
  pressureCanvas: HTMLCanvasElement;
  pressureEmpty: HTMLParagraphElement;
  nodes: HTMLUListElement;
  killsBody: HTMLTableSectionElement;
  killsEmpty: HTMLParagraphElement;
  evictionsBody: HTMLTableSectionElement;
  evictionsEmpty: HTMLParagraphElement;
  containersBody: HTMLTableSectionElement;
  podsBody: HTMLTableSectionElement;
  podsEmpty: HTMLParagraphElement;
  disagreementsSection: HTMLElement;
  disagreements: HTMLUListElement;
}

const KEY: [string, string][] = [
  ['kill-container-limit', 'own limit'],
  ['kill-pod-limit', 'pod limit'],
  ['kill-node-allocatable', 'node allocatable / parent'],
  ['kill-system', 'system OOM'],
  ['kill-eviction', 'eviction'],
  ['kill-unknown', 'unknown'],
];

function killKey(): HTMLParagraphElement {
  return el(
    'p',
    { class: 'key' },
    ...KEY.flatMap(([cls, words]) => [el('span', { class: `swatch line ${cls}` }), `${words} `]),
  );
}

function card(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  return el(
    'section',
    { class: 'card', 'aria-labelledby': `${id}-title`, id },
    el('h2', { id: `${id}-title` }, title),
    ...children,
  );
}

export function buildWorkloadLayout(root: HTMLElement): WorkloadLayout {
  const l: WorkloadLayout = {
    title: el('h1', { id: 'title' }),
    meta: el('span', { class: 'meta' }),
    status: el('span', { class: 'status', role: 'status' }),
    refreshButton: el('button', { type: 'button', id: 'refresh', title: 'Run the analysis again' }, 'Refresh'),
    error: el('div', { class: 'error', role: 'alert', hidden: true }),
    chips: el('ul', { class: 'chips', 'aria-label': 'Data sources' }),
    missing: el('ul', { class: 'notes', id: 'missing-sources', 'aria-label': 'Missing sources' }),
    notes: el('ul', { class: 'notes', id: 'notes' }),
    memoryCanvas: el('canvas', {
      id: 'workload-memory-chart',
      role: 'img',
      'aria-label': 'Working set per container over the window',
    }),
    memoryEmpty: el('p', { class: 'empty', hidden: true }, 'No working-set samples in the window.'),
    pressureCanvas: el('canvas', {
      id: 'workload-pressure-chart',
      role: 'img',
      'aria-label': 'Memory pressure of the nodes over the window',
    }),
    pressureEmpty: el(
      'p',
      { class: 'empty', hidden: true },
      'No node PSI in the window (node-exporter through Prometheus).',
    ),
    nodes: el('ul', { class: 'notes', id: 'nodes', 'aria-label': 'Nodes that ran the workload' }),
    killsBody: el('tbody'),
    killsEmpty: el('p', { class: 'empty', hidden: true }, 'No OOM kill of this workload in the window.'),
    evictionsBody: el('tbody'),
    evictionsEmpty: el('p', { class: 'empty', hidden: true }, 'No eviction of this workload in the window.'),
    containersBody: el('tbody'),
    podsBody: el('tbody'),
    podsEmpty: el('p', { class: 'empty', hidden: true }, 'No pod of this workload in the window.'),
    disagreementsSection: el('section', {
      class: 'card',
      'aria-labelledby': 'disagreements-title',
      id: 'disagreements-card',
      hidden: true,
    }),
    disagreements: el('ul', { class: 'notes', id: 'disagreements' }),
  };
  l.disagreementsSection.append(el('h2', { id: 'disagreements-title' }, 'Where the sources disagree'), l.disagreements);
  root.replaceChildren(
    el(
      'header',
      { class: 'header' },
      el('div', { class: 'title-row' }, l.title, el('div', { class: 'controls' }, l.refreshButton)),
      el('p', { class: 'sub' }, l.meta, ' ', l.status),
      l.error,
      l.chips,
      l.missing,
      l.notes,
    ),
    card(
      'workload-memory',
      'Working set by container, against its own limit',
      el('div', { class: 'chart-box' }, l.memoryCanvas),
      l.memoryEmpty,
      killKey(),
      el('p', { class: 'hint muted' }, 'solid: working set · dashed: limit · dotted: request · vertical lines: kills'),
    ),
    card(
      'workload-pressure',
      'Memory pressure of the nodes that ran it',
      el('div', { class: 'chart-box small' }, l.pressureCanvas),
      l.pressureEmpty,
      l.nodes,
      el('p', { class: 'hint muted' }, 'solid: some · dashed: full · vertical lines: kills'),
    ),
    card('workload-kills', 'OOM kills', table('kills-table', KILL_HEADERS, l.killsBody), l.killsEmpty),
    card('workload-evictions', 'Evictions', table('evictions-table', KILL_HEADERS, l.evictionsBody), l.evictionsEmpty),
    card('workload-containers', 'Containers', table('containers-table', CONTAINER_HEADERS, l.containersBody)),
    card('workload-pods', 'Pods', table('workload-pods-table', POD_HEADERS, l.podsBody), l.podsEmpty),
    l.disagreementsSection,
  );
  return l;
}
