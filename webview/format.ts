import { format } from 'date-fns';

export function formatTime(t: number | null): string {
  return t === null ? 'time unknown' : format(t, 'MMM d, HH:mm:ss');
}

export function formatClock(t: number): string {
  return format(t, 'HH:mm:ss');
}

export function formatPercent(p: number | null): string {
  return p === null ? '–' : `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}
