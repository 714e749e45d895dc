/**
 * The closing count CI reads (`N passed, N failed, N skipped`) never says fewer failures than
 * vitest: a file that failed outside its tests, an unhandled error and an interrupted run each count.
 */
import { describe, expect, it } from "vitest";
import type { TestModule } from "vitest/node";
import { tally } from "./support/summary-reporter.js";

type State = "passed" | "failed" | "skipped" | "pending";

/** The part of vitest's TestModule the tally reads. */
function mod(id: string, tests: State[], opts: { state?: "passed" | "failed" | "skipped"; errors?: number } = {}): TestModule {
  const fileState = opts.state ?? (tests.includes("failed") ? "failed" : "passed");
  return {
    relativeModuleId: id,
    state: () => fileState,
    errors: () => Array.from({ length: opts.errors ?? 0 }, () => ({ message: "boom" })),
    children: { allTests: () => tests.map((state) => ({ result: () => ({ state }) }))[Symbol.iterator]() },
  } as unknown as TestModule;
}

describe("tally", () => {
  it("counts tests by state", () => {
    expect(tally([mod("a.test.ts", ["passed", "passed", "skipped"]), mod("b.test.ts", ["passed", "failed"])], 0, "failed")).toEqual({
      passed: 3,
      failed: 1,
      skipped: 1,
      failedFiles: ["b.test.ts"],
    });
  });

  it("counts a file that failed in a hook (its tests skipped) as one failure", () => {
    expect(tally([mod("batch.test.ts", ["skipped", "skipped"], { state: "failed", errors: 1 })], 0, "failed")).toEqual({
      passed: 0,
      failed: 1,
      skipped: 2,
      failedFiles: ["batch.test.ts"],
    });
  });

  it("counts a file that failed to load (no tests at all) as one failure", () => {
    expect(tally([mod("broken.test.ts", [], { state: "failed", errors: 1 }), mod("ok.test.ts", ["passed"])], 0, "failed")).toEqual({
      passed: 1,
      failed: 1,
      skipped: 0,
      failedFiles: ["broken.test.ts"],
    });
  });

  it("does not count a file twice when its tests failed too", () => {
    expect(tally([mod("x.test.ts", ["failed", "failed"], { errors: 1 })], 0, "failed").failed).toBe(2);
  });

  it("adds every unhandled error", () => {
    expect(tally([mod("a.test.ts", ["passed"])], 2, "failed")).toEqual({ passed: 1, failed: 2, skipped: 0, failedFiles: [] });
  });

  it("never reports an interrupted run as clean", () => {
    expect(tally([mod("a.test.ts", ["passed", "pending"])], 0, "interrupted")).toEqual({
      passed: 1,
      failed: 1,
      skipped: 1,
      failedFiles: [],
    });
  });

  it("a clean run is clean", () => {
    expect(tally([mod("a.test.ts", ["passed"])], 0, "passed")).toEqual({ passed: 1, failed: 0, skipped: 0, failedFiles: [] });
  });
});
