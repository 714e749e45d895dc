import { defineConfig } from "vitest/config";

/**
 * `npm test`: every test but the release check (`npm run test:release`, vitest.release.config.mts),
 * which cross-compiles seven targets and downloads ~583 MB of Bun runtimes on a fresh machine.
 */
export const RELEASE_TESTS = ["test/e2e/release*.test.ts"];

/**
 * Settings both runs share. Timeouts only catch hangs: the suite must pass with both cores busy
 * with something else, so no bound here is near what the work needs on an idle machine. Work shared
 * by many tests (the AWS CLI batch in test/differential.test.ts) runs in a hook with its own bound.
 */
export const shared = {
  testTimeout: 120_000,
  hookTimeout: 120_000,
  teardownTimeout: 60_000,
  // The end-to-end suites start servers and many processes; two cores are all we have.
  maxWorkers: 2,
  // Frozen clocks leave libfaketime's objects in /dev/shm; they are removed after the run.
  globalSetup: ["./test/support/faketime-leftovers.ts"],
  // A line per test file as it finishes (no live summary that a pipe would swallow), a heartbeat
  // while a long file runs, and the plain closing count.
  reporters: [["default", { summary: false }], "./test/support/summary-reporter.ts"],
} as const;

export default defineConfig({
  test: {
    ...shared,
    reporters: [...shared.reporters],
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...RELEASE_TESTS],
  },
});
