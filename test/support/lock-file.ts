/** Lock files as the helper writes them, for end-to-end tests that plant a holder. */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** Field 22 of /proc/<pid>/stat (proc(5)): when the process started, in clock ticks since boot. */
export function processStart(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
}

/**
 * The lock a live helper on this host writes, naming `pid` (by default this test process, which
 * stays alive and never finishes): its process start included, so the helper judges it alive.
 */
export function liveHolderLock(pid = process.pid): string {
  return JSON.stringify({ pid, host: hostname(), created: Date.now(), nonce: "a1b2c3d4e5f60718", start: processStart(pid) });
}
