/** Where git finds `git-<name>`: its exec-path first, then each PATH directory (git's run-command.c). */
import { nodeFs } from "../runtime/node-fs.js";
import { delimiter, join } from "node:path";

/** The first executable file `name` in `dirs`, or undefined. */
export function findProgram(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      if (!nodeFs().statSync(candidate).isFile()) continue;
      nodeFs().accessSync(candidate, nodeFs().constants.X_OK);
      return candidate;
    } catch {
      // Not here: try the next directory.
    }
  }
  return undefined;
}

/** PATH split into directories. */
export function pathDirs(path: string | undefined): string[] {
  return (path ?? "").split(delimiter);
}
