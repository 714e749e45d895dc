/**
 * Running another program (git, mostly): always an argument array, never a shell, with the
 * environment and working directory passed in explicitly (only src/main.ts reads the process's own).
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { Env } from "../env.js";

/** How to run a program. */
export interface SpawnOptions {
  readonly env: Env;
  readonly cwd: string;
  /** "inherit" streams the program's output straight to ours (git clone's progress); "pipe" captures it. */
  readonly stdio: "pipe" | "inherit";
  /** Written to the program's stdin ("pipe" only); stdin is empty otherwise. */
  readonly input?: string;
}

/** How a program ended, and what it printed (empty with "inherit"). */
export interface SpawnResult {
  /** The exit status; 128 + the signal number when a signal ended it (as a shell reports it). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts a program and waits for it; resolves even when it fails, rejects only when it cannot start. */
export type Spawn = (command: string, args: readonly string[], options: SpawnOptions) => Promise<SpawnResult>;

/** The real {@link Spawn}, on node:child_process. */
export const spawnProgram: Spawn = (command, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: { ...options.env },
      cwd: options.cwd,
      // With "inherit", git talks to the user's terminal itself (progress, prompts).
      stdio: options.stdio === "inherit" ? "inherit" : ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr?.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input ?? "");
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0), stdout, stderr }));
  });
