/**
 * Starts test/support/netns-sts.ts for one case in a fresh loopback-only network namespace
 * (`unshare -n`, then `ip link set lo up`; Bun runs the TypeScript runner directly) and returns
 * its one JSON result line. The namespace needs root or user namespaces: callers check
 * `unshare -n true` first, so that a machine without them fails loudly instead of proving nothing.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { NetnsCase, NetnsResult } from "./netns-sts.js";
import { ROOT } from "./run-binary.js";

const BUN = join(ROOT, "node_modules", ".bin", "bun");

/** Runs `c` in its own namespace; killed (and rejected) after `timeoutMs`. */
export function runNetnsCase(c: NetnsCase, timeoutMs = 60_000): Promise<NetnsResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", ["-n", "sh", "-c", 'ip link set lo up && exec "$0" test/support/netns-sts.ts', BUN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NETNS_CASE: JSON.stringify(c) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out) as NetnsResult);
      } catch {
        reject(new Error(`netns runner failed: ${err}${out}`));
      }
    });
  });
}
