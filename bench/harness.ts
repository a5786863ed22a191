/**
 * A small benchmark harness for noisy shared machines: the candidate and its baseline run in alternating
 * rounds over the same inputs, and the median rate of each is reported with their ratio, so machine load
 * affects both sides alike.
 */
export interface Comparison {
  name: string;
  unit: string;
  baselineName: string;
  baseline: number;
  candidate: number;
  target: string;
  pass: boolean;
}

export interface Workload<T> {
  inputs: readonly T[];
  /** Work units per input (bytes for MB/s, 1 for ops/s). */
  size?: (input: T) => number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Work units per second of one pass of `fn` over all inputs. */
function rate<T>(fn: (input: T) => unknown, workload: Workload<T>, units: number): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const input of workload.inputs) if (fn(input) !== undefined) sink++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink < 0) console.log(sink); // keeps the results observable so nothing is optimized away
  return units / seconds;
}

/** Runs baseline and candidate in `rounds` alternating passes after a warm-up; returns the median rates. */
export function compare<T>(
  workload: Workload<T>,
  baseline: (input: T) => unknown,
  candidate: (input: T) => unknown,
  rounds = 7,
): { baseline: number; candidate: number } {
  const units = workload.size ? workload.inputs.reduce((sum, input) => sum + workload.size!(input), 0) : workload.inputs.length;
  // Warm up both sides, alternating, for at least a second: V8 needs several passes over code with as many
  // branches as a phone-number library before its speed settles, and one pass each was measured not to do.
  const warmUntil = performance.now() + 1000;
  for (let pass = 0; pass < 3 || performance.now() < warmUntil; pass++) {
    rate(baseline, workload, units);
    rate(candidate, workload, units);
  }
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < rounds; i++) {
    b.push(rate(baseline, workload, units));
    c.push(rate(candidate, workload, units));
  }
  return { baseline: median(b), candidate: median(c) };
}

function format(value: number): string {
  return value >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

/** Prints the comparisons as a table; returns whether every target was met. */
export function report(rows: Comparison[]): boolean {
  const header = ['benchmark', 'baseline', 'baseline rate', 'scamgraph rate', 'ratio', 'target', 'result'];
  const lines = rows.map((r) => [
    r.name,
    r.baselineName,
    `${format(r.baseline)} ${r.unit}`,
    `${format(r.candidate)} ${r.unit}`,
    `${(r.candidate / r.baseline).toFixed(2)}×`,
    r.target,
    r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  for (const line of [header, ...lines]) console.log(line.map((cell, i) => cell.padEnd(widths[i] as number)).join('  '));
  return rows.every((r) => r.pass);
}
