import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeLeftovers } from "./support/faketime-leftovers.js";
import { frozenAt } from "./support/run-binary.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("libfaketime's leftovers in /dev/shm", () => {
  it("are removed for processes that are gone, and kept for running ones and for other names", () => {
    dir = mkdtempSync(join(tmpdir(), "gcc-shm-"));
    // A pid that has exited: a child that ran and was reaped.
    const gone = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" }).stdout.trim();
    const names = [
      `faketime_shm_${gone}`,
      `sem.faketime_sem_${gone}`,
      `faketime_shm_${process.pid}`,
      `sem.faketime_sem_${process.pid}`,
      "faketime_shm_notapid",
      "other_shm_1",
    ];
    for (const n of names) writeFileSync(join(dir, n), "");
    removeLeftovers(dir);
    expect(readdirSync(dir).sort()).toEqual(
      [`faketime_shm_${process.pid}`, `sem.faketime_sem_${process.pid}`, "faketime_shm_notapid", "other_shm_1"].sort(),
    );
  });

  it("are what a frozen clock leaves: one semaphore and one shared-memory object named after its process", () => {
    dir = mkdtempSync(join(tmpdir(), "gcc-shm-"));
    const { wrap, env } = frozenAt("2017-12-24 11:53:20");
    const r = spawnSync(wrap[0]!, [...wrap.slice(1), "sh", "-c", "echo $$; date -u +%FT%T"], {
      encoding: "utf8",
      env: { ...process.env, ...env },
    });
    const [pid, date] = r.stdout.trim().split("\n");
    expect(date).toBe("2017-12-24T11:53:20");
    const left = readdirSync("/dev/shm")
      .filter((n) => n.endsWith(`_${pid}`))
      .sort();
    expect(left).toEqual([`faketime_shm_${pid}`, `sem.faketime_sem_${pid}`]);
    // The sweep of /dev/shm itself runs once the whole run is over (vitest.config.mts): a process
    // started by one that is gone may still use its objects while other tests run.
    for (const n of left) rmSync(join("/dev/shm", n));
  });
});
