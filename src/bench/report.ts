// Formatting of benchmark rows: our number, the peer's, their ratio and whether it meets the target.

export interface BenchRow {
  name: string;
  ours: number;
  peerName: string;
  peer: number | undefined;
  /** ours / peer (a speed-up when higher is better; a multiple of the peer when lower is better). */
  ratio: number | undefined;
  /** The ratio to reach; absent for rows that are reported without a target. */
  target?: number;
  /** True for costs (time, memory): the ratio must stay at or below the target. */
  lowerIsBetter?: boolean;
  note?: string;
}

export function ratioRow(name: string, ours: number, peerName: string, peer: number, target?: number): BenchRow {
  return { name, ours, peerName, peer, ratio: peer > 0 ? ours / peer : undefined, target };
}

export function verdict(row: BenchRow): string {
  if (row.ratio === undefined || row.target === undefined) return '';
  const ok = row.lowerIsBetter ? row.ratio <= row.target : row.ratio >= row.target;
  return ok ? 'PASS' : 'MISS';
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function num(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
}

/** A fixed-width table, one row per measurement. */
export function formatTable(rows: BenchRow[]): string {
  const header = ['measurement', 'Layerwise', 'peer', 'peer value', 'ratio', 'target', ''];
  const body = rows.map((r) => [
    r.name,
    num(r.ours),
    r.peerName,
    r.peer === undefined ? r.note ?? '-' : num(r.peer),
    r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`,
    r.target === undefined ? '-' : `${r.lowerIsBetter ? '<=' : '>='} ${r.target}x`,
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
