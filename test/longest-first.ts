import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each of the longest test files took in a clean-clone CI run (2 cores, `CI=true bash .ci/run`), the files
 * of about 15 s and more. Only their order matters, and only roughly.
 */
export const LONG_FILES: Readonly<Record<string, number>> = {
  'e2e/wall.test.ts': 146,
  'server/test/two-hubs-simulator.test.ts': 84,
  'server/src/replay/replay-exactness.test.ts': 81,
  'e2e/field.test.ts': 82,
  'e2e/basemap.test.ts': 80,
  'e2e/basemap-vector.test.ts': 70,
  'e2e/plans.test.ts': 57,
  'server/test/faults.test.ts': 52,
  'e2e/auth.test.ts': 50,
  'e2e/slow-wall.test.ts': 40,
  'e2e/replay.test.ts': 32,
  'e2e/replay-pages.test.ts': 22,
  'server/test/resume.test.ts': 30,
  'e2e/dispatch.test.ts': 28,
  'e2e/field-console.test.ts': 27,
  'e2e/wall-focus.test.ts': 23,
  'server/test/auth-cli.test.ts': 23,
  'simulator/src/scenario/typhoon/typhoon-world.test.ts': 22,
  'simulator/test/closed-loop.test.ts': 21,
  'server/test/deployment.test.ts': 18,
  'e2e/cameras.test.ts': 17,
  'e2e/cameras-webrtc.test.ts': 20,
  'e2e/typhoon-drill.test.ts': 17,
  'simulator/src/scenario/lattice.test.ts': 16,
  'e2e/jurisdiction.test.ts': 15,
  'simulator/test/plan-rounds.test.ts': 15,
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
