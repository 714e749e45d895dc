/**
 * `install-remote-helper [DIR]`: puts the name `git-remote-codecommit` next to this program (or in
 * DIR) so git finds the remote helper on PATH (gitremote-helpers(7)) — a symbolic link, or on Windows, where
 * links need privileges, a copy. A file of that name that is not this program (the Python tool's
 * entry point, say) is left alone and named in the error.
 */
import { nodeFs } from "../runtime/node-fs.js";
import { basename, dirname, join, resolve } from "node:path";
import { HelperError } from "../errors.js";
import { findProgram, pathDirs } from "../git/find-program.js";

export interface InstallInput {
  /** This program's file, as started (links are resolved here). */
  readonly selfPath: string;
  /** Where to put the name; default: the directory of this program's file. */
  readonly dir: string | undefined;
  /** The PATH git will search, to warn when the name will not be found or another comes first. */
  readonly pathEnv: string | undefined;
  /** Makes the symbolic link (default: fs.symlinkSync); a test's stand-in fails as Windows does. */
  readonly link?: (target: string, dest: string) => void;
}

/** Creates the name; returns what to tell the user (stdout). */
export function installRemoteHelper(input: InstallInput): string {
  const target = nodeFs().realpathSync(input.selfPath);
  const dir = resolve(input.dir ?? dirname(target));
  // git on Windows looks for git-remote-codecommit.exe; the native binary there ends in .exe.
  const name = /\.exe$/i.test(target) ? "git-remote-codecommit.exe" : "git-remote-codecommit";
  const dest = join(dir, name);
  let out: string;
  if (exists(dest)) {
    if (sameFile(dest, target) || sameContent(dest, target)) {
      out = `${dest} already runs ${target}\n`;
    } else if (isCopyOfUs(dest)) {
      // An earlier version's copy (where links cannot be made): this version replaces it.
      copy(target, dest);
      out = `copied ${target} to ${dest} (run this again after each upgrade)\n`;
    } else {
      throw new HelperError(
        "usage",
        `${dest} already exists and is not a link to ${target} (the Python git-remote-codecommit, or an older copy?)`,
        "Remove it (pip uninstall git-remote-codecommit) and run again",
      );
    }
  } else {
    try {
      // A relative link keeps working when the directory is moved or mounted elsewhere.
      (input.link ?? nodeFs().symlinkSync)(dirname(target) === dir ? basename(target) : target, dest);
      // Wine reports success for a link it does not make: only a name that is there counts.
      if (!exists(dest)) throw Object.assign(new Error("no link was made"), { code: "EPERM" });
      out = `linked ${dest} -> ${target}\n`;
    } catch (err) {
      // Windows allows links only with developer mode or elevation: a copy does the same job.
      if ((err as NodeJS.ErrnoException).code !== "EPERM") throw cannotCreate(dest, err);
      copy(target, dest);
      out = `copied ${target} to ${dest} (run this again after each upgrade)\n`;
    }
  }
  return out + pathNote(dir, name, target, input.pathEnv);
}

/** A warning when git would not find this name on PATH, or would find another first. */
function pathNote(dir: string, name: string, target: string, pathEnv: string | undefined): string {
  const found = findProgram(name, pathDirs(pathEnv));
  if (found === undefined) return `note: ${dir} is not on PATH, so git will not find ${name}; add it to PATH\n`;
  if (sameFile(found, target) || sameContent(found, target)) return "";
  return `note: git will run ${found} instead, which comes earlier on PATH; remove it (pip uninstall git-remote-codecommit)\n`;
}

function copy(target: string, dest: string): void {
  try {
    nodeFs().copyFileSync(target, dest);
  } catch (err) {
    throw cannotCreate(dest, err);
  }
}

/** Whether two files hold the same bytes (a copy made by an earlier run of this version). */
function sameContent(path: string, target: string): boolean {
  try {
    const fs = nodeFs();
    return fs.statSync(path).size === fs.statSync(target).size && fs.readFileSync(path).equals(fs.readFileSync(target));
  } catch {
    return false;
  }
}

/**
 * Whether a file is a copy of some version of this program: it carries our own name, which the
 * Python tool's entry points (a script, or pip's .exe launcher) do not.
 */
function isCopyOfUs(path: string): boolean {
  try {
    return nodeFs().readFileSync(path).includes("git-credential-codecommit");
  } catch {
    return false;
  }
}

function cannotCreate(dest: string, err: unknown): HelperError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  return new HelperError(
    "usage",
    `cannot create ${dest} (${code})`,
    "Pass an existing directory you may write to, e.g. install-remote-helper ~/.local/bin",
  );
}

function exists(path: string): boolean {
  try {
    nodeFs().lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function sameFile(path: string, target: string): boolean {
  try {
    return nodeFs().existsSync(path) && nodeFs().realpathSync(path) === target;
  } catch {
    return false;
  }
}
