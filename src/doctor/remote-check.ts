/**
 * doctor's check for a `codecommit::` origin: git runs `git-remote-codecommit` from its exec-path
 * or PATH (git's transport-helper.c), and fails with "'remote-codecommit' is not a git command"
 * without one. AWS's Python tool of that name, first on PATH, would be run instead of ours.
 */
import { dirname } from "node:path";
import { ENV } from "../env.js";
import { findProgram, pathDirs } from "../git/find-program.js";
import { shellQuote } from "../git/helper-line.js";
import { runGit, type GitContext } from "../git/run-git.js";
import { nodeFs } from "../runtime/node-fs.js";
import { fail, ok, type Check } from "./check.js";

/** The name git looks for; a Windows git looks for the `.exe` too. */
const REMOTE_HELPER = "git-remote-codecommit";

/**
 * ✓ when the first `git-remote-codecommit` git finds is this program (a link or a copy), ✗ with
 * `install-remote-helper` otherwise. `self` is this program's file as started.
 */
export async function remoteHelperCheck(ctx: GitContext, self: string, invocation: string): Promise<Check> {
  const execPath = (await runGit(ctx, ["--exec-path"])).stdout.trim();
  const found =
    findProgram(REMOTE_HELPER, [execPath, ...pathDirs(ctx.env[ENV.path])]) ??
    findProgram(`${REMOTE_HELPER}.exe`, pathDirs(ctx.env[ENV.path]));
  if (found === undefined) {
    return fail(
      `git cannot find ${REMOTE_HELPER} on its PATH, so git fetch fails with "'remote-codecommit' is not a git command"`,
      `${invocation} install-remote-helper ${shellQuote(dirname(self))}`,
    );
  }
  if (await isOurs(ctx, found, self)) return ok(`git runs ${found} for codecommit:: URLs: this program`);
  return fail(
    `git runs ${found} for codecommit:: URLs, which is not this program (AWS's Python git-remote-codecommit?): it comes first on PATH`,
    `rm ${shellQuote(found)}`,
    `${invocation} install-remote-helper ${shellQuote(dirname(found))}`,
  );
}

/** A link to this program, or a copy of it: a native file whose --version names us. Scripts are never run. */
async function isOurs(ctx: GitContext, found: string, self: string): Promise<boolean> {
  try {
    if (nodeFs().realpathSync(found) === nodeFs().realpathSync(self)) return true;
    const head = Buffer.alloc(2);
    const fd = nodeFs().openSync(found, "r");
    try {
      nodeFs().readSync(fd, head, 0, 2, 0);
    } finally {
      nodeFs().closeSync(fd);
    }
    // The Python tool is a `#!` entry-point script: not ours, and not run to find out.
    if (head.toString("latin1") === "#!") return false;
    // An option first: our copy answers as the credential helper (remote/program-name.ts), not as a remote helper.
    const r = await ctx.spawn(found, ["--version"], { env: ctx.env, cwd: ctx.cwd, stdio: "pipe" });
    return r.code === 0 && r.stdout.startsWith("git-credential-codecommit ");
  } catch {
    return false;
  }
}
