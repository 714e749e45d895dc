/** Running git itself, with the caller's environment and working directory. */
import type { Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { Spawn, SpawnResult } from "./spawn.js";

/** The GitContext of a command run from the shell's Io; the real spawn is loaded when none is given. */
export async function gitContextOf(io: { readonly spawn?: Spawn; readonly env: Env; readonly cwd?: string }): Promise<GitContext> {
  return { spawn: io.spawn ?? (await import("./spawn.js")).spawnProgram, env: io.env, cwd: io.cwd ?? "." };
}

/** What every git call needs: how to start a program, the environment, the directory to run in. */
export interface GitContext {
  readonly spawn: Spawn;
  readonly env: Env;
  readonly cwd: string;
}

/** Runs `git <args>` capturing its output; a non-zero exit is returned, not thrown. */
export async function runGit(ctx: GitContext, args: readonly string[], input?: string): Promise<SpawnResult> {
  try {
    return await ctx.spawn("git", args, { env: ctx.env, cwd: ctx.cwd, stdio: "pipe", ...(input === undefined ? {} : { input }) });
  } catch (err) {
    throw gitMissing(err);
  }
}

/** Runs `git <args>` and returns its stdout, or throws a HelperError quoting git's own complaint. */
export async function gitOutput(ctx: GitContext, args: readonly string[]): Promise<string> {
  const r = await runGit(ctx, args);
  if (r.code !== 0) {
    const said = r.stderr.trim().split("\n")[0] ?? "";
    throw new HelperError("git", `"git ${args.join(" ")}" failed${said ? `: ${said}` : ""}`, "Fix what git reports and run this again");
  }
  return r.stdout;
}

/** The error for git that cannot be started at all. */
export function gitMissing(err: unknown): HelperError {
  const code = (err as NodeJS.ErrnoException).code;
  return new HelperError("git", `cannot run git (${code ?? String(err)})`, "Install git and make sure it is on PATH");
}
