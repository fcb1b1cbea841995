/**
 * "Memory budget": the node's capacity split as the kubelet splits it (allocatable, hard eviction threshold,
 * kube-reserved, system-reserved; kubepods limit = allocatable + threshold), a stacked bar against the working
 * set, and the same numbers in a table. Widths are set through the CSSOM (the CSP allows no style attributes).
 */
import type { PanelBudget } from '../src/shared/panelProtocol';
import { formatSize } from '../src/shared/humanSize';
import { el } from './dom';

const size = (n: number | null): string => (n === null ? 'unknown' : formatSize(n));
const share = (n: number, of: number): string => `${Math.max(0, Math.min(100, (100 * n) / of)).toFixed(2)}%`;

/** Fills the section; hides it when the capacity is unknown (no Node object: nothing to split). */
export function renderBudget(section: HTMLElement, body: HTMLElement, b: PanelBudget | null | undefined): void {
  section.hidden = !b || b.capacityBytes === null;
  if (!b || b.capacityBytes === null) return body.replaceChildren();
  const cap = b.capacityBytes;
  const segments: [string, string, number | null][] = [
    ['allocatable', 'budget-allocatable', b.allocatableBytes],
    ['eviction threshold', 'budget-eviction', b.evictionHardBytes],
    ['kube-reserved', 'budget-kube', b.kubeReservedBytes],
    ['system-reserved', 'budget-system', b.systemReservedBytes],
  ];
  const bar = el('div', { class: 'budget-bar', role: 'img', 'aria-label': budgetLabel(b) });
  for (const [name, cls, bytes] of segments) {
    if (!bytes) continue;
    const seg = el('div', { class: `budget-seg ${cls}`, 'data-segment': name, title: `${name} ${size(bytes)}` });
    seg.style.width = share(bytes, cap);
    bar.append(seg);
  }
  const markers: HTMLElement[] = [];
  const mark = (cls: string, bytes: number | null, name: string): void => {
    if (bytes === null) return;
    const m = el('div', { class: `budget-mark ${cls}`, 'data-marker': name, title: `${name} ${size(bytes)}` });
    m.style.left = share(bytes, cap);
    markers.push(m);
  };
  mark('budget-mark-kubepods', b.kubepodsLimitBytes, 'kubepods limit');
  mark('budget-mark-ws', b.workingSetBytes, 'working set');
  bar.append(...markers);
  const row = (label: string, bytes: number | null, cls?: string): HTMLTableRowElement =>
    el(
      'tr',
      cls ? { class: cls } : {},
      el('th', { scope: 'row' }, label),
      el('td', { 'data-bytes': bytes === null ? '' : String(bytes) }, size(bytes)),
    );
  const table = el(
    'table',
    { class: 'budget-table', id: 'budget-table' },
    el(
      'tbody',
      {},
      row('capacity', cap),
      row('− system-reserved', b.systemReservedBytes, 'key-system'),
      row('− kube-reserved', b.kubeReservedBytes, 'key-kube'),
      row('= kubepods limit', b.kubepodsLimitBytes, 'total'),
      row('− eviction threshold (hard)', b.evictionHardBytes, 'key-eviction'),
      row('= allocatable', b.allocatableBytes, 'total key-allocatable'),
      row('working set', b.workingSetBytes, 'key-ws'),
    ),
  );
  const unknown =
    b.kubepodsLimitBytes === null && b.evictionHardBytes === null
      ? el(
          'p',
          { class: 'muted' },
          'Reservations and the eviction threshold are unknown: the kubelet configuration (configz) could not be read.',
        )
      : null;
  body.replaceChildren(el('div', { class: 'budget-track' }, bar), table, unknown ?? '');
}

function budgetLabel(b: PanelBudget): string {
  return `Memory budget: capacity ${size(b.capacityBytes)}, allocatable ${size(b.allocatableBytes)}, kubepods limit ${size(b.kubepodsLimitBytes)}, working set ${size(b.workingSetBytes)}`;
}
