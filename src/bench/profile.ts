// Reads onnxruntime's profiling trace (Chrome trace-event JSON written when `enableProfiling` is
// set): how much of each `model_run` is kernel time, the rest being the runtime's own work
// (allocation, scheduling, copies between kernels).

export interface TraceEvent {
  cat?: string;
  name?: string;
  /** Start, microseconds. */
  ts?: number;
  /** Duration, microseconds. */
  dur?: number;
}

export interface RunProfile {
  /** model_run events counted (after the skipped ones). */
  runs: number;
  /** Total microseconds of the counted model_run events. */
  runUs: number;
  /** Microseconds of top-level kernels inside them (a Loop's body kernels are inside the Loop's). */
  kernelUs: number;
  /** (runUs - kernelUs) / runUs. */
  overheadShare: number;
  /** Kernel microseconds per op type, highest first. */
  byOp: { op: string; us: number }[];
}

const KERNEL_SUFFIX = '_kernel_time';

/** Op type from a node event such as `n_Gemm_12_kernel_time` or `conv1/Conv_kernel_time`; the `op_name` arg wins when present. */
function opOf(e: TraceEvent & { args?: { op_name?: string } }): string {
  if (e.args?.op_name) return e.args.op_name;
  const base = (e.name ?? '').slice(0, -KERNEL_SUFFIX.length);
  const parts = base.split(/[_/]/).filter((p) => p && !/^\d+$/.test(p) && p !== 'n');
  return parts[parts.length - 1] ?? base;
}

/** Summarises the model runs of a trace, ignoring the first `skipRuns` (warm-up). */
export function summariseTrace(events: readonly TraceEvent[], skipRuns = 0): RunProfile {
  const runs = events
    .filter((e) => e.cat === 'Session' && e.name === 'model_run' && typeof e.ts === 'number' && typeof e.dur === 'number')
    .sort((a, b) => a.ts! - b.ts!)
    .slice(skipRuns);
  const kernels = events
    .filter((e) => e.cat === 'Node' && (e.name ?? '').endsWith(KERNEL_SUFFIX) && typeof e.ts === 'number' && typeof e.dur === 'number')
    .sort((a, b) => a.ts! - b.ts!);
  let runUs = 0;
  let kernelUs = 0;
  const byOp = new Map<string, number>();
  let k = 0;
  for (const run of runs) {
    const start = run.ts!;
    const end = start + run.dur!;
    runUs += run.dur!;
    while (k < kernels.length && kernels[k].ts! < start) k++;
    // Only kernels not nested in an earlier one: a Loop's kernel time already holds its body's.
    let coveredUntil = -Infinity;
    for (; k < kernels.length && kernels[k].ts! <= end; k++) {
      const e = kernels[k];
      if (e.ts! < coveredUntil) continue;
      coveredUntil = e.ts! + e.dur!;
      kernelUs += e.dur!;
      const op = opOf(e);
      byOp.set(op, (byOp.get(op) ?? 0) + e.dur!);
    }
  }
  return {
    runs: runs.length,
    runUs,
    kernelUs,
    overheadShare: runUs > 0 ? Math.max(0, runUs - kernelUs) / runUs : NaN,
    byOp: [...byOp].map(([op, us]) => ({ op, us })).sort((a, b) => b.us - a.us),
  };
}

/** Parses trace text; undefined when it is not a trace-event array. */
export function parseTrace(text: string): TraceEvent[] | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as TraceEvent[]) : undefined;
  } catch {
    return undefined;
  }
}
