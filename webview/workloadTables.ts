import type {
  WorkloadContainerRow,
  WorkloadKillRow,
  WorkloadNodeRow,
  WorkloadPodRow,
  WorkloadSnapshot,
} from '../src/shared/workloadProtocol';
import { formatSize } from '../src/shared/humanSize';
import { el } from './dom';
import { formatPercent, formatTime } from './format';

const size = (b: number | null | undefined): string => (b === null || b === undefined ? '–' : formatSize(b));

/** A table with a header row; `body` is filled by the render functions below. */
export function table(id: string, headers: string[], body: HTMLTableSectionElement): HTMLDivElement {
  return el(
    'div',
    { class: 'table-wrap' },
    el('table', { id }, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))), body),
  );
}

export const KILL_HEADERS = [
  'Time',
  'Pod',
  'Node',
  'Container',
  'What happened',
  'Limit',
  'Working set at kill',
  'Before it',
  'Evidence',
  'Found in',
];

function containerWords(k: WorkloadKillRow): string {
  if (!k.container) return '–';
  return k.containerType && k.containerType !== 'container' ? `${k.container} (${k.containerType})` : k.container;
}

function pressureWords(k: WorkloadKillRow): string | null {
  if (!k.nodePressure) return null;
  const full = k.nodePressure.fullMaxPercent;
  return `node PSI peak: some ${formatPercent(k.nodePressure.someMaxPercent)}${full === null ? '' : ` · full ${formatPercent(full)}`}`;
}

/** The kills (or evictions), newest first, every string set as text. */
export function renderKills(body: HTMLTableSectionElement, kills: readonly WorkloadKillRow[]): void {
  const rows = [...kills].sort((a, b) => (b.t ?? -Infinity) - (a.t ?? -Infinity));
  body.replaceChildren(
    ...rows.map((k) => {
      const pressure = pressureWords(k);
      return el(
        'tr',
        { class: `kill-row kill-${k.class}`, 'data-kill-id': k.id, 'data-class': k.class },
        el(
          'td',
          { class: 'nowrap' },
          el('span', { class: 'swatch' }),
          ' ',
          el('time', k.t === null ? {} : { datetime: new Date(k.t).toISOString() }, formatTime(k.t)),
        ),
        el('td', {}, k.pod ?? '–'),
        el('td', {}, k.node ?? '–'),
        el('td', {}, containerWords(k)),
        el(
          'td',
          { class: 'class-text' },
          k.classText,
          el('br'),
          el('span', { class: 'muted qos' }, k.qosClass ? `QoS ${k.qosClass}` : 'QoS unknown'),
        ),
        el('td', { class: 'num' }, size(k.limitBytes)),
        el('td', { class: 'num' }, size(k.workingSetAtKillBytes)),
        el('td', { class: 'preceded' }, k.precededText, pressure ? el('br') : null, pressure ? pressure : null),
        el(
          'td',
          {},
          k.evidence.length
            ? el(
                'details',
                { class: 'evidence' },
                el('summary', {}, `Evidence (${k.evidence.length})`),
                el('ul', {}, ...k.evidence.map((e) => el('li', {}, el('code', {}, e)))),
              )
            : el('span', { class: 'muted' }, 'none'),
        ),
        el('td', { class: 'found-in' }, k.foundIn.length ? k.foundIn.join(', ') : '–'),
      );
    }),
  );
}

export const CONTAINER_HEADERS = ['Container', 'Request', 'Limit', 'p50', 'p95', 'Max', 'At kills'];

export function renderContainers(body: HTMLTableSectionElement, containers: readonly WorkloadContainerRow[]): void {
  body.replaceChildren(
    ...containers.map((c) => {
      const atKills = c.atKills.filter((x) => x.bytes !== null);
      const max = c.limitBytes;
      return el(
        'tr',
        { 'data-container': c.name },
        el('td', {}, c.containerType === 'container' ? c.name : `${c.name} (${c.containerType})`),
        el('td', { class: 'num' }, size(c.requestBytes)),
        el('td', { class: 'num' }, c.limitBytes === null ? 'none' : size(c.limitBytes)),
        el('td', { class: 'num' }, size(c.workingSet?.p50)),
        el('td', { class: 'num' }, size(c.workingSet?.p95)),
        el('td', { class: 'num' }, size(c.workingSet?.max)),
        el(
          'td',
          {},
          c.atKills.length === 0
            ? 'no kill'
            : atKills.length === 0
              ? `${c.atKills.length} kill(s), working set unknown`
              : atKills
                  .map(
                    (x) => `${size(x.bytes)}${max ? ` (${Math.round(((x.bytes ?? 0) / max) * 100)}% of limit)` : ''}`,
                  )
                  .join(', '),
        ),
      );
    }),
  );
}

export const POD_HEADERS = ['Pod', 'Node', 'Phase', 'Restarts', 'In the API server'];

export function renderPods(body: HTMLTableSectionElement, pods: readonly WorkloadPodRow[]): void {
  body.replaceChildren(
    ...pods.map((p) =>
      el(
        'tr',
        { 'data-pod': p.name, 'data-live': String(p.live), class: p.live ? null : 'gone' },
        el('td', {}, p.name),
        el('td', {}, p.node ?? '–'),
        el('td', {}, p.phase ?? '–'),
        el('td', { class: 'num' }, String(p.restarts)),
        el('td', { class: 'live' }, p.live ? 'live' : 'gone (history only)'),
      ),
    ),
  );
}

/** "worker-1 (3 pods) · worker-7, gone (1 pod)". */
export function renderNodes(list: HTMLUListElement, nodes: readonly WorkloadNodeRow[]): void {
  list.replaceChildren(
    ...nodes.map((n) =>
      el(
        'li',
        { 'data-node': n.name, 'data-present': String(n.present) },
        n.name,
        n.present ? '' : ' — gone from the API server',
        ` · ${n.podCount} pod${n.podCount === 1 ? '' : 's'}`,
        n.pressure.length ? '' : ' · no PSI',
      ),
    ),
  );
}

export function renderDisagreements(list: HTMLUListElement, s: WorkloadSnapshot): void {
  list.replaceChildren(
    ...s.disagreements.map((d) =>
      el(
        'li',
        { 'data-pod': d.pod },
        el('strong', {}, d.container ? `${d.pod} › ${d.container}` : d.pod),
        ': ',
        d.sentence,
      ),
    ),
  );
}
