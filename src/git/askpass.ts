/**
 * Asking a person through an askpass program, the way git's own prompts do (git's prompt.c,
 * `git_prompt()` and `do_askpass()`): IDEs and GUI gits set `GIT_ASKPASS` to their prompt window,
 * and a git run from them has no terminal to ask on.
 */
import { nodeFs } from "../runtime/node-fs.js";
import type { Env } from "../env.js";
import { ENV } from "../env.js";

/**
 * The askpass program git would run: `GIT_ASKPASS`, then `core.askPass`, then `SSH_ASKPASS`. As in
 * prompt.c, the first one that is set decides, and a set but empty one means no askpass at all
 * (`GIT_ASKPASS=` turns off the IDE's window and leaves the terminal). `coreAskPass` is read only
 * when `GIT_ASKPASS` is unset: git does not export its configuration to the helpers it runs.
 */
export function askpassProgram(env: Env, coreAskPass: () => string | undefined): string | undefined {
  const chosen = env[ENV.gitAskpass] ?? coreAskPass() ?? env[ENV.sshAskpass];
  return chosen ? chosen : undefined;
}

/** What running the askpass program came to. */
export type AskpassAnswer =
  | { readonly ok: true; readonly answer: string }
  /** It could not be started, or it ended with a non-zero status or a signal: git's "unable to read askpass response". */
  | { readonly ok: false; readonly why: string };

/** How the program was (or would be) started: the command and its arguments. */
export interface AskpassCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** What a platform needs to decide how to start a script (git for Windows reads its `#!` line). */
export interface ScriptProbe {
  /** The first bytes of a file, or undefined when it cannot be read. */
  readonly head: (path: string) => string | undefined;
  /** Whether `path` is a file. */
  readonly isFile: (path: string) => boolean;
}

/**
 * The command that runs `program` with `prompt` as its one argument. Elsewhere than Windows it is
 * the program itself (git's start_command execs it without a shell, so a path with spaces stays
 * whole). On Windows a script cannot be started by itself: git for Windows (compat/mingw.c,
 * `mingw_spawnvpe` and `parse_interpreter`) reads its `#!` line and runs the interpreter's base
 * name, `sh` for VS Code's `askpass.sh`, found as an .exe on PATH (where git's own `sh.exe` is
 * for the programs git runs), with the script's path before the prompt. Without one, the script
 * is started as it is, fails, and that is said as a failed askpass.
 */
export function askpassCommand(program: string, prompt: string, platform: NodeJS.Platform, env: Env, probe: ScriptProbe): AskpassCommand {
  const plain = { command: program, args: [prompt] };
  if (platform !== "win32") return plain;
  // Windows' own list separator and path syntax, whatever platform runs the unit tests.
  const dirs = (env[ENV.path] ?? env.Path ?? "").split(";").filter((d) => d !== "");
  const script = windowsLookup(program, dirs, probe, false);
  if (script === undefined || /\.exe$/i.test(script)) return plain;
  const interpreter = shebangInterpreter(probe.head(script));
  if (interpreter === undefined) return plain;
  const found = windowsLookup(interpreter, dirs, probe, true);
  return found === undefined ? plain : { command: found, args: [script, prompt] };
}

/**
 * The base name of a `#!` line's interpreter, its options dropped, as git for Windows takes it:
 * `#!/bin/sh` and `#!/usr/bin/sh -e` give `sh`; a line without a slash gives nothing.
 */
export function shebangInterpreter(head: string | undefined): string | undefined {
  if (head === undefined || !head.startsWith("#!")) return undefined;
  const end = head.search(/[\r\n]/);
  if (end < 0) return undefined;
  const line = head.slice(2, end);
  const slash = Math.max(line.lastIndexOf("/"), line.lastIndexOf("\\"));
  if (slash < 0) return undefined;
  return line.slice(slash + 1).split(" ")[0] || undefined;
}

/** git for Windows' path_lookup: a path is taken as given; a bare name is searched on PATH, as `name.exe`, then (scripts allowed) as `name`. */
function windowsLookup(name: string, dirs: readonly string[], probe: ScriptProbe, exeOnly: boolean): string | undefined {
  if (/[\\/:]/.test(name)) return probe.isFile(name) ? name : undefined;
  for (const dir of dirs) {
    const inDir = (file: string): string => `${dir.replace(/[\\/]+$/, "")}\\${file}`;
    const exe = inDir(/\.exe$/i.test(name) ? name : `${name}.exe`);
    if (probe.isFile(exe)) return exe;
    if (!exeOnly && probe.isFile(inDir(name))) return inDir(name);
  }
  return undefined;
}

/** How a program is run and waited for, synchronously: the prompt waits on a person anyway. */
export type RunSync = (
  command: AskpassCommand,
  env: Env,
  stderr: "inherit" | "ignore",
) => { readonly status: number | null; readonly signal: string | null; readonly stdout: string; readonly error?: Error };

/**
 * Runs the askpass program and takes its answer as git does: everything it prints, cut at the
 * first CR or LF. Its stdin is empty (ours carries git's request), its stderr is git's.
 */
export function askThrough(command: AskpassCommand, env: Env, runSync: RunSync): AskpassAnswer {
  const r = runSync(command, env, "inherit");
  if (r.error) return { ok: false, why: `it could not be started (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.signal) return { ok: false, why: `it was ended by ${r.signal}` };
  if (r.status !== 0) return { ok: false, why: `it exited with status ${r.status}` };
  return { ok: true, answer: r.stdout.slice(0, r.stdout.search(/[\r\n]|$/)) };
}

/** The real {@link RunSync}: node's spawnSync, without a shell, the window hidden on Windows. */
export const runSyncProgram: RunSync = (command, env, stderr) => {
  // Required here, not imported: child_process is loaded only when a person is asked.
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const r = spawnSync(command.command, [...command.args], {
    env: { ...env },
    stdio: ["ignore", "pipe", stderr],
    encoding: "utf8",
    windowsHide: true,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? "", ...(r.error ? { error: r.error } : {}) };
};

/**
 * `core.askPass` from git's configuration, as the git that runs us sees it (the helper runs in
 * git's working directory), or undefined when it is not set or git cannot say.
 */
export function coreAskPassFromGit(env: Env, runSync: RunSync): string | undefined {
  // git's complaints about a broken config file are for git's own commands to make, not a prompt's.
  const r = runSync({ command: "git", args: ["config", "--get", "core.askpass"] }, env, "ignore");
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.replace(/\r?\n$/, "");
}

/** The real {@link ScriptProbe}, on the file system. */
export const fileProbe: ScriptProbe = {
  head: (path) => {
    try {
      const fd = nodeFs().openSync(path, "r");
      try {
        const buf = Buffer.alloc(100);
        return buf.subarray(0, nodeFs().readSync(fd, buf, 0, buf.length, 0)).toString("latin1");
      } finally {
        nodeFs().closeSync(fd);
      }
    } catch {
      return undefined;
    }
  },
  isFile: (path) => {
    try {
      return nodeFs().statSync(path).isFile();
    } catch {
      return false;
    }
  },
};
