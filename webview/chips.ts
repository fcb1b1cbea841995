import type { SourceState } from '../src/cluster/analysis/nodeAnalysisTypes';
import { el } from './dom';

/** One data source as a chip: its name, its state, and the sentence of a missing source. */
export function chip(name: string, state: SourceState): HTMLLIElement {
  const colon = state.indexOf(':');
  const kind = colon < 0 ? state : state.slice(0, colon);
  const sentence = colon < 0 ? '' : state.slice(colon + 1).trim();
  return el(
    'li',
    { class: `chip chip-${kind}`, title: sentence || `${name}: ${kind}`, 'data-source': name, 'data-state': kind },
    el('span', { class: 'chip-name' }, name),
    el('span', { class: 'chip-state' }, kind),
    sentence ? el('span', { class: 'chip-text' }, sentence) : null,
  );
}
