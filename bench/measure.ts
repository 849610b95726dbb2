/** One benchmark's result. */
export interface Figure {
  name: string;
  /** Median of the timed runs, in milliseconds. */
  medianMs: number;
  /** Fastest run, in milliseconds. */
  minMs: number;
  runs: number;
  /** Median divided by the reference's median (1 for the reference itself). */
  ratio: number;
  /** Throughput, when the figure is per item. */
  perSecond?: number;
}

/**
 * Times `task` after two warm-up runs, at least five times and for at least
 * two seconds, and reports its median relative to `reference`.
 *
 * @param name      What is measured.
 * @param task      The work; awaited.
 * @param reference A figure measured in the same run to compare against.
 */
export async function benchmark(name: string, task: () => unknown, reference?: Figure): Promise<Figure> {
  for (let warm = 0; warm < 2; warm += 1) await task();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < 5 || performance.now() - started < 2000) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
    if (times.length >= 50) break;
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? 0;
  return { name, medianMs, minMs: times[0] ?? 0, runs: times.length, ratio: reference ? medianMs / reference.medianMs : 1 };
}

/**
 * Prints figures as an aligned table on standard output.
 *
 * @param figures The results, reference first.
 */
export function printTable(figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((figure) => figure.name.length));
  const throughput = figures.some((figure) => figure.perSecond !== undefined);
  process.stdout.write(
    `${'benchmark'.padEnd(width)}  ${'median ms'.padStart(10)}  ${'min ms'.padStart(9)}  ${'runs'.padStart(5)}  ${'× reference'.padStart(11)}${throughput ? `  ${'per second'.padStart(10)}` : ''}\n`,
  );
  for (const figure of figures) {
    const rate = throughput ? `  ${(figure.perSecond ?? 0).toFixed(1).padStart(10)}` : '';
    process.stdout.write(
      `${figure.name.padEnd(width)}  ${figure.medianMs.toFixed(2).padStart(10)}  ${figure.minMs.toFixed(2).padStart(9)}  ${String(figure.runs).padStart(5)}  ${figure.ratio.toFixed(2).padStart(11)}${rate}\n`,
    );
  }
}
