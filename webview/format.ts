import { format } from 'date-fns';

export function formatTime(t: number | null): string {
  return t === null ? 'time unknown' : format(t, 'MMM d, HH:mm:ss');
}

export function formatClock(t: number): string {
  return format(t, 'HH:mm:ss');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function formatPercent(p: number | null): string {
  return p === null ? '–' : `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}
