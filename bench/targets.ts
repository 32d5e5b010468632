// What the data plane is held to (docs/benchmarks.md): each ratio against a plain Worker measured in the same
// run, printed beside its target with PASS or FAIL. A target is never met by turning a feature off.

export interface RatioTarget {
  ratio: string;
  atLeast: number;
}

export const THROUGHPUT_TARGETS: readonly RatioTarget[] = [
  { ratio: "hello pulse / plain hello Worker", atLeast: 0.6 },
  { ratio: "counter pulse / plain counter Worker", atLeast: 0.8 },
  { ratio: "pulse fetching upstream / plain Worker fetching it", atLeast: 0.6 },
  { ratio: "with secret substitution / without", atLeast: 0.9 },
];

/** Round-robin over the fleet's pulses against all requests on one pulse (the fleet part). */
export const FLEET_AT_LEAST = 0.8;

/** The hello pulse's p99 may be at most this many times the plain hello Worker's. */
export const HELLO_P99_AT_MOST = 3;

const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

/** The fleet part's verdict, as the throughput ratios print theirs. */
export function fleetVerdict(ratio: number): string {
  return `target >= ${FLEET_AT_LEAST * 100}%   ${verdict(ratio >= FLEET_AT_LEAST)}`;
}

/** One line per ratio: the figure, its target (if it has one) and PASS or FAIL. */
export function formatAgainstTargets(ratios: Record<string, number>, helloP99: number, plainP99: number): string[] {
  const lines = Object.entries(ratios).map(([name, value]) => {
    const target = THROUGHPUT_TARGETS.find((t) => t.ratio === name);
    const figure = `${(value * 100).toFixed(1)}%`.padStart(7);
    return target
      ? `  ${name.padEnd(52)} ${figure}   target >= ${target.atLeast * 100}%   ${verdict(value >= target.atLeast)}`
      : `  ${name.padEnd(52)} ${figure}`;
  });
  const p99Ratio = plainP99 > 0 ? helloP99 / plainP99 : Number.POSITIVE_INFINITY;
  lines.push(
    `  ${"hello pulse p99 / plain hello Worker p99".padEnd(52)} ${`${p99Ratio.toFixed(1)}x`.padStart(7)}   target <= ${HELLO_P99_AT_MOST}x     ${verdict(p99Ratio <= HELLO_P99_AT_MOST)}`,
  );
  return lines;
}
