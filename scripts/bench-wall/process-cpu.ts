import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the Chromium this process started, by kind of Chromium process (Linux /proc; bench:wall). With
 * `--disable-gpu` SwiftShader draws in the GPU process: CDP's thread times of the page's main thread leave that
 * work out, and the page only waits for it (the read-back after each frame). Read-only: nothing is signalled.
 */
export interface ChromiumCpu {
  /** The GPU process (SwiftShader), ms. */
  gpu: number;
  /** Every renderer (the pages), ms. */
  renderer: number;
}

interface Proc {
  pid: number;
  ppid: number;
  cmd: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(d), ppid, cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** utime + stime of a process in ms (0 when it is gone). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** The CPU so far of the Chromium processes under this Node process (null off Linux or without a Chromium). */
export function chromiumCpu(): ChromiumCpu | null {
  let all: Proc[];
  try {
    all = processes();
  } catch {
    return null;
  }
  const below = (pid: number): Proc[] => all.filter((p) => p.ppid === pid).flatMap((p) => [p, ...below(p.pid)]);
  const mine = below(process.pid).filter((p) => p.cmd.includes('chrom'));
  if (mine.length === 0) return null;
  const sum = (kind: string) =>
    mine.filter((p) => p.cmd.includes(`--type=${kind}`)).reduce((a, p) => a + cpuMs(p.pid), 0);
  return { gpu: sum('gpu-process'), renderer: sum('renderer') };
}
