import type { OomClass } from '../src/core/oom/verdictTypes';

/** Chart colours, all read from --vscode-* variables on the body. */
export interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  series: string[];
  pressure: string;
  thrashing: string;
  /** The severe tier (full > 60 % for 30 s): the thrashing colour, denser. */
  severe: string;
  kill: Record<OomClass, string>;
  reference: string;
}

const FALLBACK: Record<string, string> = {
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-panel-border': '#80808059',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-foreground': '#cccccc',
};

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour → "rgba(r, g, b, a)" with the given alpha, via the canvas parser. */
export function withAlpha(color: string, alpha: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const normal = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(normal);
  if (hex) return `rgba(${parseInt(hex[1], 16)}, ${parseInt(hex[2], 16)}, ${parseInt(hex[3], 16)}, ${alpha})`;
  const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(normal);
  return rgba ? `rgba(${rgba[1].trim()}, ${rgba[2].trim()}, ${rgba[3].trim()}, ${alpha})` : color;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const v = (name: string): string => style.getPropertyValue(name).trim() || FALLBACK[name] || '#888888';
  const blue = v('--vscode-charts-blue');
  const green = v('--vscode-charts-green');
  const purple = v('--vscode-charts-purple');
  const orange = v('--vscode-charts-orange');
  const yellow = v('--vscode-charts-yellow');
  const red = v('--vscode-charts-red');
  const foreground = v('--vscode-foreground');
  const muted = v('--vscode-descriptionForeground');
  const highContrast = document.body.classList.contains('vscode-high-contrast');
  return {
    foreground,
    muted,
    grid: withAlpha(v('--vscode-panel-border'), highContrast ? 0.9 : 0.35),
    background: v('--vscode-editor-background'),
    series: [blue, green, purple, orange, yellow, v('--vscode-charts-foreground')],
    pressure: withAlpha(yellow, highContrast ? 0.3 : 0.16),
    thrashing: withAlpha(red, highContrast ? 0.35 : 0.22),
    severe: withAlpha(red, highContrast ? 0.6 : 0.42),
    reference: muted,
    kill: {
      'container-limit': orange,
      'pod-limit': yellow,
      'node-allocatable': purple,
      'ancestor-limit': purple,
      system: red,
      eviction: blue,
      userspace: green,
      unknown: muted,
    },
  };
}

/** Calls `onChange` when VS Code switches theme (body class or the variables on <html>). */
export function observeTheme(onChange: () => void): void {
  let pending = false;
  const schedule = (): void => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
