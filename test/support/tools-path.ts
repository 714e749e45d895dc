/**
 * A PATH with git and the system's own directories only, for tests whose outcome depends on what
 * PATH finds: no copy of this program, nor a git-remote-codecommit, that the person running the
 * tests installed (~/.local/bin, /usr/local/bin) can answer in place of the one under test.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { IsolatedEnv } from "./isolated-env.js";

/** `<world>/tools` (a link to the caller's git) before /usr/bin and /bin. */
export function bareToolsPath(world: Pick<IsolatedEnv, "dir" | "env">): string {
  const dir = join(world.dir, "tools");
  if (!existsSync(dir)) {
    mkdirSync(dir);
    symlinkSync(execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8", env: world.env }).trim(), join(dir, "git"));
  }
  return `${dir}:/usr/bin:/bin`;
}
