/**
 * The PATH every test runs programs with: the caller's, so the tools the tests need (git, bun,
 * node, faketime, moto_server, aws, python3, …) are found where the machine has them, but with no
 * copy of this program in it. A helper installed as the README says (`~/.local/bin`,
 * `/usr/local/bin`) or AWS's Python `git-remote-codecommit` would otherwise answer in place of the
 * build under test, or make "not on PATH" cases pass for the wrong reason.
 *
 * A directory that holds one of our names is replaced, at its place in the order, by a directory
 * of small scripts that run each of its other programs (scripts, not links: `exec` by full path
 * keeps what a program learns from its own path, such as a Python virtual environment's).
 */
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** The names this project's programs are installed under (the npm bin and the Windows build too). */
export const OUR_PROGRAM_NAMES = [
  "git-credential-codecommit",
  "git-remote-codecommit",
  "git-credential-codecommit.exe",
  "git-remote-codecommit.exe",
];

/** One clean PATH per caller PATH, made once per test process. */
const made = new Map<string, string>();
let shimRoot: string | undefined;
let shimDirs = 0;

/** {@link OUR_PROGRAM_NAMES}-free PATH for `callerPath` (default: this process's PATH). */
export function testPath(callerPath: string = process.env.PATH ?? "/usr/bin:/bin"): string {
  const known = made.get(callerPath);
  if (known !== undefined) return known;
  const dirs = callerPath.split(delimiter).map((dir) => (holdsOurs(dir) ? shimDir(dir) : dir));
  const path = dirs.join(delimiter);
  made.set(callerPath, path);
  return path;
}

/** Whether `dir` has a file under one of our names. */
export function holdsOurs(dir: string): boolean {
  return dir !== "" && OUR_PROGRAM_NAMES.some((name) => existsSync(join(dir, name)));
}

/** A directory of scripts that run every program of `dir` except ours. */
function shimDir(dir: string): string {
  if (shimRoot === undefined) {
    const root = mkdtempSync(join(tmpdir(), "gcc-test-path-"));
    shimRoot = root;
    process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  }
  const shims = join(shimRoot, String(shimDirs++));
  mkdirSync(shims, { recursive: true });
  for (const name of readdirSafe(dir)) {
    if (OUR_PROGRAM_NAMES.includes(name) || !/^[\w.+-]+$/.test(name)) continue;
    const program = join(dir, name);
    if (!isExecutableFile(program)) continue;
    writeFileSync(join(shims, name), `#!/bin/sh\nexec '${program.replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o755 });
  }
  return shims;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
