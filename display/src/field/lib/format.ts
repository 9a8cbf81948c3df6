/** A duration as the phone shows a countdown: `1天 3:05:09`, `3:05:09` or `5:09` (minutes:seconds). */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1_000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(h || d ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  const hms = h || d ? `${h}:${mmss}` : mmss;
  return d ? `${d}d ${hms}` : hms;
}
