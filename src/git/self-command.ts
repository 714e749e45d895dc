/**
 * The command that starts this program again, as a `credential.helper` line needs it: by absolute
 * path, so a GUI git started from the Dock or the Start menu (PATH=/usr/bin:/bin) still finds it,
 * and by the path it was started from, links NOT resolved, so a package manager that swaps the
 * file a link points to (Homebrew, npm -g, a versioned install dir) keeps the line working.
 */
import { isAbsolute, resolve } from "node:path";
import { nodeFs } from "../runtime/node-fs.js";
import { findProgram, pathDirs } from "./find-program.js";
import { shellQuote } from "./helper-line.js";

/** How this process was started, as main.ts sees it. */
export interface ProcessStart {
  /** A Bun single executable (argv0 is the start name) rather than a script under node. */
  readonly compiled: boolean;
  /** The name the program was started under: a bare name (found on PATH), relative or absolute. */
  readonly argv0: string;
  /** The runtime's own file, links resolved: the binary itself, or node. */
  readonly execPath: string;
  /** Under node: the script (the npm bin), as given on the command line. */
  readonly script: string | undefined;
  readonly pathEnv: string | undefined;
  readonly cwd: string | undefined;
}

/**
 * `[program]`, or for the npm bin `[node, script]`: its `#!/usr/bin/env node` line would fail on a
 * short PATH without node, so node is named by its absolute path too.
 */
export function selfCommand(start: ProcessStart): string[] {
  if (!start.compiled) return [start.execPath, absolute(start.script ?? "", start.cwd)];
  return [startPath(start)];
}

/** argv0 made absolute the way the shell found it: as given when it has a slash, else the first on PATH. */
function startPath(start: ProcessStart): string {
  const name = start.argv0;
  if (isAbsolute(name)) return name;
  if (/[\\/]/.test(name)) return absolute(name, start.cwd);
  const found = findProgram(name, pathDirs(start.pathEnv));
  // Only a name that leads back to this very file: anything else (a wrapper, an exec -a) is not us.
  return found !== undefined && sameFile(found, start.execPath) ? found : start.execPath;
}

function absolute(path: string, cwd: string | undefined): string {
  return cwd === undefined ? resolve(path) : resolve(cwd, path);
}

function sameFile(a: string, b: string): boolean {
  try {
    return nodeFs().realpathSync(a) === nodeFs().realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * How to tell the user to start this program in a fix line: the bare name when their PATH finds
 * this very program under it, else the command it was started with (PATH would find another, or none).
 */
export function invocation(self: readonly string[] | undefined, pathEnv: string | undefined): string {
  const program = self?.[self.length - 1];
  if (program === undefined) return "git-credential-codecommit";
  const found = findProgram("git-credential-codecommit", pathDirs(pathEnv));
  if (found !== undefined && sameFile(found, program)) return "git-credential-codecommit";
  return self!.map(shellQuote).join(" ");
}
