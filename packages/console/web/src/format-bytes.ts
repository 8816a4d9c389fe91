/** Bytes as B/KiB/MiB/GiB with one decimal; null (unknown) as a dash. */
export function formatBytes(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  let n = Number(value);
  for (const unit of ['B', 'KiB', 'MiB', 'GiB']) {
    if (n < 1024 || unit === 'GiB') return unit === 'B' ? `${n} B` : `${n.toFixed(1)} ${unit}`;
    n /= 1024;
  }
  return `${n} B`;
}
