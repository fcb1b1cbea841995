import { podScope as scopeOf } from '../src/shared/scopes';
import { type ManifestPod } from '../src/shared/panelProtocol';
import { button, el } from './dom';
import { formatPercent, formatTime } from './format';

export interface PodsActions {
  select(scope: string): void;
  goToManifest(uri: string, line: number): void;
  /** Opens "Analyze Workload Memory" on the pod's workload. */
  analyzeWorkload(workload: string, namespace: string | null): void;
}

export function podScope(p: ManifestPod): string {
  return scopeOf(p.namespace ?? 'default', p.pod);
}

/** "Pods of this manifest": workload, pod, QoS, restarts, last OOM, pressure. */
export function renderPods(
  body: HTMLTableSectionElement,
  pods: readonly ManifestPod[],
  selected: string | null,
  actions: PodsActions,
): void {
  // One "Analyze workload" link per workload: on its first pod's row.
  const linked = new Set<string>();
  body.replaceChildren(
    ...pods.map((p) => {
      const workloadKey = `${p.namespace ?? ''}/${p.workload}`;
      const first = !linked.has(workloadKey);
      linked.add(workloadKey);
      const scope = podScope(p);
      const isSelected = scope === selected;
      const pressure =
        p.somePercent === null ? '–' : `some ${formatPercent(p.somePercent)} · full ${formatPercent(p.fullPercent)}`;
      return el(
        'tr',
        { 'data-scope': scope, class: isSelected ? 'selected' : null },
        el(
          'td',
          {},
          button(p.workload, () => actions.goToManifest(p.manifest.uri, p.manifest.line), {
            class: 'link',
            title: 'Go to manifest',
          }),
          first
            ? button('Analyze workload', () => actions.analyzeWorkload(p.workload, p.namespace), {
                class: 'link analyze-workload',
                title: `Every OOM kill and eviction of ${p.workload} across nodes (OOMScope: Analyze Workload Memory)`,
              })
            : null,
        ),
        el(
          'td',
          {},
          button(p.pod, () => actions.select(scope), {
            class: 'link',
            'aria-pressed': String(isSelected),
            title: 'Show this pod in the charts',
          }),
        ),
        el('td', {}, p.qosClass ?? '–'),
        el('td', { class: 'num' }, String(p.restarts)),
        el('td', {}, p.lastOom === null ? 'none seen' : formatTime(p.lastOom)),
        el('td', {}, pressure),
      );
    }),
  );
}
