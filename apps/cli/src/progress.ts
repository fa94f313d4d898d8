import { SingleBar, Presets } from 'cli-progress';

/** A progress bar on stderr when it is a terminal (or FORCE_PROGRESS is set); silent otherwise. */
export function progressBar(label: string, total: number): { update(n: number): void; stop(): void } {
  if (!process.stderr.isTTY && !process.env.FORCE_PROGRESS) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 },
    Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0);
  return { update: (n) => bar.update(Math.min(n, Math.max(total, 1))), stop: () => bar.stop() };
}
