/**
 * Progress and the closing count for `npm test`, next to vitest's default reporter (which prints a
 * line per test file as it finishes):
 *
 * - a heartbeat: after {@link QUIET_MS} without a finished file, one line naming the files still
 *   running and how many of their tests are done, so a newcomer never stares at a silent terminal;
 * - the plain closing line `N passed, N failed, N skipped` that CI reads, preceded by the files that
 *   failed. It never says fewer failures than vitest: a file that failed without a failed test (a
 *   crash on load, a failing `beforeAll`) counts one, every unhandled error counts one, and a run
 *   that was interrupted counts one.
 */
import type { Reporter, SerializedError, TestModule, TestRunEndReason, TestSpecification } from "vitest/node";

/** Longest silence before the heartbeat speaks. */
const QUIET_MS = 20_000;

/** The closing count, exported for the reporter's own unit test. */
export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** Files with a failure of any kind, relative to the project. */
  failedFiles: string[];
}

/** Counts what a run produced; failures are never fewer than vitest's failed files or failed tests. */
export function tally(modules: ReadonlyArray<TestModule>, unhandledErrors: number, reason: TestRunEndReason): Tally {
  const t: Tally = { passed: 0, failed: 0, skipped: 0, failedFiles: [] };
  for (const mod of modules) {
    let failedTests = 0;
    for (const test of mod.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") t.passed++;
      else if (state === "failed") failedTests++;
      else t.skipped++;
    }
    t.failed += failedTests;
    const fileFailed = mod.state() === "failed" || failedTests > 0 || mod.errors().length > 0;
    // A file that failed outside its tests (load error, failing hook) is one failure of its own.
    if (fileFailed && failedTests === 0) t.failed++;
    if (fileFailed) t.failedFiles.push(mod.relativeModuleId);
  }
  t.failed += unhandledErrors;
  if (reason === "interrupted" && t.failed === 0) t.failed = 1;
  return t;
}

export default class SummaryReporter implements Reporter {
  private readonly running = new Map<string, TestModule>();
  private started = Date.now();
  private lastWord = Date.now();
  private timer: NodeJS.Timeout | undefined;

  onTestRunStart(_specifications: ReadonlyArray<TestSpecification>): void {
    this.started = Date.now();
    this.lastWord = Date.now();
    this.timer = setInterval(() => this.heartbeat(), 5_000);
    this.timer.unref();
  }

  onTestModuleStart(mod: TestModule): void {
    this.running.set(mod.moduleId, mod);
  }

  onTestModuleEnd(mod: TestModule): void {
    this.running.delete(mod.moduleId);
    this.lastWord = Date.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    if (this.timer) clearInterval(this.timer);
    const t = tally(modules, unhandledErrors.length, reason);
    const lines = ["", `wall time ${seconds(Date.now() - this.started)}`];
    for (const file of t.failedFiles) lines.push(`failed: ${file}`);
    if (unhandledErrors.length > 0) lines.push(`failed: ${unhandledErrors.length} unhandled error(s), see above`);
    if (reason === "interrupted") lines.push("failed: the run was interrupted");
    lines.push(`${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
    process.stdout.write(`${lines.join("\n")}\n`);
  }

  /** One line when nothing has finished for a while: what is still running, and how far it is. */
  private heartbeat(): void {
    if (Date.now() - this.lastWord < QUIET_MS || this.running.size === 0) return;
    const files = [...this.running.values()].map((mod) => {
      const tests = [...mod.children.allTests()];
      const done = tests.filter((test) => test.result().state !== "pending").length;
      return `${mod.relativeModuleId} (${done}/${tests.length} tests done)`;
    });
    process.stdout.write(`… ${seconds(Date.now() - this.started)}: still running ${files.join(", ")}\n`);
    this.lastWord = Date.now();
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(0)} s`;
}
