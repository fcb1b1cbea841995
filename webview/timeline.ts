import type { KillMarker } from '../src/shared/panelProtocol';
import { button, el } from './dom';
import { formatTime } from './format';

export interface TimelineActions {
  goToManifest(uri: string, line: number): void;
  showOnChart(t: number): void;
}

function who(k: KillMarker): string {
  const pod = k.pod ? `${k.namespace ? `${k.namespace}/` : ''}${k.pod}` : null;
  if (pod && k.container) return `${pod} › ${k.container}`;
  return pod ?? k.container ?? 'process outside Kubernetes';
}

/** The kills and evictions, newest first; every string set as text. */
export function renderTimeline(list: HTMLOListElement, kills: readonly KillMarker[], actions: TimelineActions): void {
  const rows = [...kills].sort((a, b) => (b.t ?? -Infinity) - (a.t ?? -Infinity));
  list.replaceChildren(
    ...rows.map((k) => {
      const actionsBox = el('div', { class: 'row-actions' });
      if (k.t !== null) {
        const t = k.t;
        actionsBox.append(button('Show on chart', () => actions.showOnChart(t), { class: 'secondary' }));
      }
      if (k.manifest) {
        const m = k.manifest;
        actionsBox.append(button('Go to manifest', () => actions.goToManifest(m.uri, m.line)));
      }
      const evidence = k.evidence.length
        ? el(
            'details',
            { class: 'evidence' },
            el('summary', {}, `Evidence (${k.evidence.length})`),
            el('ul', {}, ...k.evidence.map((e) => el('li', {}, el('code', {}, e)))),
          )
        : el('p', { class: 'muted' }, 'No evidence lines.');
      return el(
        'li',
        { class: `kill kill-${k.class}`, 'data-kill-id': k.id, 'data-class': k.class },
        el(
          'div',
          { class: 'kill-head' },
          el('span', { class: 'swatch' }),
          el('time', k.t === null ? {} : { datetime: new Date(k.t).toISOString() }, formatTime(k.t)),
          el('span', { class: 'kind' }, k.kind === 'eviction' ? 'Eviction' : 'OOM kill'),
          el('span', { class: 'who' }, who(k)),
        ),
        el('p', { class: 'class-text' }, k.classText),
        el(
          'p',
          { class: 'facts' },
          el('span', { class: 'qos' }, k.qosClass ? `QoS ${k.qosClass}` : 'QoS unknown'),
          ' · ',
          el('span', { class: 'preceded' }, k.precededText),
        ),
        evidence,
        actionsBox,
      );
    }),
  );
}
