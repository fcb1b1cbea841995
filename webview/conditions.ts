/**
 * The node's memory conditions in the panel header: MemoryPressure and, beside it, the PSI node conditions
 * (KEP-5394, alpha 1.36: SystemMemoryContentionPressure, KubepodsMemoryContentionPressure) when the node reports
 * them; and under the notes, where the pressure sits in words (pressure scope, memory.high throttling).
 */
import type { PanelSnapshot } from '../src/shared/panelProtocol';
import { el } from './dom';
import { formatSize as formatBytes } from '../src/shared/humanSize';

type Condition = { status: string; since: number | null } | null | undefined;

function item(name: string, c: Condition): HTMLLIElement {
  const state = c ? (c.status === 'True' ? 'true' : c.status === 'False' ? 'false' : 'unknown') : 'unknown';
  return el(
    'li',
    { class: `condition condition-${state}`, 'data-condition': name, 'data-status': c?.status ?? 'absent' },
    `${name} ${c ? c.status : 'unknown'}`,
  );
}

export function renderConditions(list: HTMLUListElement, words: HTMLUListElement, s: PanelSnapshot): void {
  const n = s.node;
  if (!n) {
    list.replaceChildren();
    list.hidden = true;
  } else {
    const items = [item('MemoryPressure', n.memoryPressure)];
    // Shown only when the kubelet reports them: absent is not "False" (the gate is alpha and off by default).
    if (n.systemMemoryContentionPressure)
      items.push(item('SystemMemoryContentionPressure', n.systemMemoryContentionPressure));
    if (n.kubepodsMemoryContentionPressure)
      items.push(item('KubepodsMemoryContentionPressure', n.kubepodsMemoryContentionPressure));
    list.replaceChildren(...items);
    list.hidden = false;
  }
  const scope = s.pressureScope ?? [];
  words.replaceChildren(...scope.map((w) => el('li', {}, w)));
  words.hidden = scope.length === 0;
}

const fmt = (n: number | null): string => (n === null ? '–' : formatBytes(n));

/**
 * Swap and Memory QoS per container: the swap limit the kubelet gave it (LimitedSwap), the swap it uses, and
 * memory.high (MemoryQoS) against its working set. Hidden when no container has any of them.
 */
export function renderMemoryControls(section: HTMLElement, body: HTMLTableSectionElement, s: PanelSnapshot): void {
  const m = s.memoryControls;
  if (!m || m.containers.length === 0) {
    section.hidden = true;
    body.replaceChildren();
    return;
  }
  section.hidden = false;
  const caption = section.querySelector('.controls-caption');
  if (caption)
    caption.textContent = [
      m.swapBehavior ? `swap ${m.swapBehavior}` : null,
      m.nodeSwapCapacityBytes !== null
        ? `node swap ${fmt(m.nodeSwapUsageBytes)} in use of ${fmt(m.nodeSwapCapacityBytes)}`
        : null,
      m.memoryQoS ? 'MemoryQoS on: memory.high throttles before the limit' : null,
    ]
      .filter(Boolean)
      .join(' · ');
  body.replaceChildren(
    ...m.containers.map((c) => {
      const throttled =
        c.memoryHighBytes !== null && c.workingSetBytes !== null && c.workingSetBytes >= c.memoryHighBytes;
      return el(
        'tr',
        { 'data-container': `${c.namespace}/${c.pod}/${c.container}` },
        el('td', {}, `${c.namespace}/${c.pod}`),
        el('td', {}, c.container),
        // Only LimitedSwap gives containers swap; elsewhere a 0 B limit would read as a number that matters.
        el(
          'td',
          {},
          m.swapBehavior !== 'LimitedSwap' ? 'no swap' : c.swapLimitBytes === 0 ? 'none' : fmt(c.swapLimitBytes),
        ),
        el('td', {}, fmt(c.swapUsageBytes)),
        el('td', {}, fmt(c.memoryHighBytes)),
        el(
          'td',
          { class: throttled ? 'throttled' : '' },
          `${fmt(c.workingSetBytes)}${throttled ? ' — at memory.high' : ''}`,
        ),
      );
    }),
  );
}
