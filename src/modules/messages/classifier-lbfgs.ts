/**
 * A limited-memory BFGS minimizer for smooth convex objectives (the classifier's regularized log loss): no
 * randomness, so the same objective gives the same weights on every run.
 */

/** Fills `grad` with the gradient at `w` and returns the objective there. */
export type Objective = (w: Float64Array, grad: Float64Array) => number;

const MEMORY = 10;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The minimum of `f` from `start`, after at most `iterations` steps or when the gradient or the progress is tiny. */
export function minimize(f: Objective, start: Float64Array, iterations: number, tolerance = 1e-6): Float64Array {
  const dim = start.length;
  let w = Float64Array.from(start);
  let grad = new Float64Array(dim);
  let value = f(w, grad);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const next = new Float64Array(dim);
  const nextGrad = new Float64Array(dim);
  for (let iter = 0; iter < iterations; iter++) {
    if (Math.sqrt(dot(grad, grad)) < tolerance) break;
    // Two-loop recursion: the direction -H·grad from the last MEMORY steps.
    const q = Float64Array.from(grad);
    const alpha: number[] = [];
    for (let k = s.length - 1; k >= 0; k--) {
      const a = rho[k]! * dot(s[k]!, q);
      alpha[k] = a;
      for (let i = 0; i < dim; i++) q[i]! -= a * y[k]![i]!;
    }
    const gamma = s.length > 0 ? dot(s.at(-1)!, y.at(-1)!) / dot(y.at(-1)!, y.at(-1)!) : 1 / Math.sqrt(dot(grad, grad));
    for (let i = 0; i < dim; i++) q[i]! *= gamma;
    for (let k = 0; k < s.length; k++) {
      const b = rho[k]! * dot(y[k]!, q);
      for (let i = 0; i < dim; i++) q[i]! += s[k]![i]! * (alpha[k]! - b);
    }
    const slope = -dot(grad, q);
    if (slope >= 0) break; // not a descent direction: numerically converged
    // Backtracking line search (Armijo).
    let step = 1;
    let nextValue = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < dim; i++) next[i] = w[i]! - step * q[i]!;
      nextValue = f(next, nextGrad);
      if (nextValue <= value + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextValue < value)) break;
    const sk = new Float64Array(dim);
    const yk = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      sk[i] = next[i]! - w[i]!;
      yk[i] = nextGrad[i]! - grad[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
      if (s.length > MEMORY) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    const progress = value - nextValue;
    w = Float64Array.from(next);
    grad = Float64Array.from(nextGrad);
    value = nextValue;
    if (progress < 1e-10 * Math.max(1, Math.abs(value))) break;
  }
  return w;
}
