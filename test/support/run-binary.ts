/**
 * Runs the built helper (dist/git-credential-codecommit, or the npm bin under node) as git would:
 * arguments, stdin, an environment; returns stdout, stderr and the exit code.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { audited, type SecretPeer } from "./secret-audit.js";

/** The project root: the nearest folder above this file with a package.json (also from a bundle in dist/). */
export const ROOT = findRoot(__dirname);
export const BINARY = join(ROOT, "dist", "git-credential-codecommit");
export const NODE_BIN = join(ROOT, "dist", "git-credential-codecommit.cjs");

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly ms: number;
}

export interface RunOptions {
  readonly env: Record<string, string>;
  readonly stdin?: string | Buffer;
  /** The working directory (default: the test's). */
  readonly cwd?: string;
  /** Run the npm bin under node instead of the native binary. */
  readonly node?: boolean;
  /** Prefix command, e.g. ["faketime", "-f", "2017-12-24 11:53:20"]. */
  readonly wrap?: readonly string[];
  /** Kill after this long (default 120 s): a bound against a hang, never a speed check. */
  readonly timeoutMs?: number;
  /** Secrets in play that the environment and files don't show; every run is audited for them (secret-audit.ts). */
  readonly secrets?: readonly string[];
  /** Test peers (STS, SSO, git server stubs) whose issued and received secrets are audited too. */
  readonly peers?: readonly SecretPeer[];
}

/** Runs the helper; rejects when a secret in play leaks into its output (secret-audit.ts). */
export async function runHelper(args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return runHelperAt(opts.node ? [process.execPath, NODE_BIN] : [BINARY], args, opts);
}

/** {@link runHelper} for another build of the helper, started as `program` (a release artifact under qemu, say). */
export async function runHelperAt(program: readonly string[], args: readonly string[], opts: Omit<RunOptions, "node">): Promise<RunResult> {
  return audited({ env: opts.env, secrets: opts.secrets ?? [], peers: opts.peers ?? [], label: `helper ${args.join(" ")}` }, () =>
    runCommand([...program, ...args], opts),
  );
}

/** Runs any command (the AWS CLI, say) the same way: `opts.wrap` prefix, stdin, env, a kill timer. */
export function runCommand(cmd: readonly string[], opts: Omit<RunOptions, "node">): Promise<RunResult> {
  const full = [...(opts.wrap ?? []), ...cmd];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(full[0] as string, full.slice(1), { env: opts.env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, ms: Date.now() - started });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(opts.stdin ?? "");
  });
}

/**
 * Frozen-clock prefix: Debian's libfaketime preloaded with the time to show, and real monotonic
 * time so that timers still fire (DEVELOPERS.md). The preload is set through env(1), not the
 * `faketime` wrapper: the wrapper makes a semaphore and shared memory named after its own pid,
 * which it removes when it exits, so a wrapper that is killed leaves them in /dev/shm, and a later
 * one given the same pid (pid_max is 32768 on these machines, and the suite starts more processes
 * than that) fails with "faketime: sem_open: File exists" before it runs anything: a CI run's
 * differential case failed so. A frozen clock needs neither; the library reads FAKETIME itself.
 */
export function frozenAt(utc: string): { wrap: string[]; env: Record<string, string> } {
  return { wrap: ["env", `LD_PRELOAD=${libfaketime()}`, `FAKETIME=${utc}`], env: { FAKETIME_DONT_FAKE_MONOTONIC: "1", TZ: "UTC" } };
}

let libfaketimePath: string | undefined;

/** Where Debian's faketime package put the library (its multiarch directory). */
function libfaketime(): string {
  if (libfaketimePath) return libfaketimePath;
  const dirs = ["/usr/lib", ...readdirSync("/usr/lib").map((d) => join("/usr/lib", d))];
  const found = dirs.map((d) => join(d, "faketime", "libfaketime.so.1")).find((f) => existsSync(f));
  if (!found) throw new Error("libfaketime.so.1 not found under /usr/lib: apt-get install faketime");
  libfaketimePath = found;
  return found;
}

function findRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  throw new Error(`no package.json above ${start}`);
}
