import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each of the longest test files took, the files of about 15 s and more: the end-to-end group's from a run of
 * that group alone, three files at a time, on a 2-core VM (2026-12-07, one Chromium per worker); the others' from a
 * clean-clone CI run. Only their order matters, and only roughly: a long file that mostly waits (a real-time
 * simulator, a 40-s outage) started last ran alone at the end of its group while a core idled.
 */
export const LONG_FILES: Readonly<Record<string, number>> = {
  'server/src/replay/replay-exactness.test.ts': 108,
  'server/test/two-hubs-simulator.test.ts': 100,
  'e2e/replay-fetch-worker.test.ts': 91,
  'e2e/wall.test.ts': 90,
  'e2e/auth.test.ts': 75,
  'e2e/field.test.ts': 71,
  'server/test/faults.test.ts': 65,
  'e2e/plans.test.ts': 64,
  'e2e/basemap-vector.test.ts': 61,
  'e2e/positions-outage.test.ts': 56,
  'e2e/basemap.test.ts': 55,
  'e2e/wall-layout.test.ts': 46,
  'e2e/plans-squads.test.ts': 44,
  'e2e/dispatch.test.ts': 42,
  'e2e/field-console.test.ts': 41,
  'e2e/major-event.test.ts': 41,
  'e2e/cameras.test.ts': 41,
  'e2e/slow-wall.test.ts': 39,
  'e2e/positions-stream.test.ts': 38,
  'e2e/unit-cells.test.ts': 36,
  'e2e/replay.test.ts': 34,
  'e2e/typhoon-drill.test.ts': 31,
  'e2e/wall-focus.test.ts': 29,
  'e2e/jurisdiction.test.ts': 23,
  'e2e/typhoon.test.ts': 20,
  'e2e/dot-mesh.test.ts': 20,
  'e2e/cameras-webrtc.test.ts': 20,
  'server/test/auth-cli.test.ts': 39,
  'server/test/resume.test.ts': 30,
  'server/test/deployment.test.ts': 27,
  'simulator/src/scenario/typhoon/typhoon-world.test.ts': 22,
  'simulator/test/closed-loop.test.ts': 20,
  'simulator/test/plan-rounds.test.ts': 16,
  'simulator/src/scenario/lattice.test.ts': 16,
  'simulator/test/campaign-live.test.ts': 14,
};

/**
 * Within each group and project, the longest files first (then vitest's own order). On a clean clone vitest has no
 * timings and starts the largest files first, and a small file that runs long — the two-hubs simulator test, 84 s —
 * started last, leaving one core idle for over a minute at the end of its group. Longest first keeps both busy.
 */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const seconds = (f: TestSpecification) => LONG_FILES[relative(root, f.moduleId)] ?? 0;
    const rank = new Map(base.map((f, i) => [f, i]));
    return [...base].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        (a.project.name === b.project.name ? 0 : a.project.name < b.project.name ? -1 : 1) ||
        seconds(b) - seconds(a) ||
        rank.get(a)! - rank.get(b)!,
    );
  }
}
