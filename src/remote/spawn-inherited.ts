/**
 * Starts the child that does the real work (`git remote-https`) on this process's own stdin,
 * stdout and stderr: git talks the remote-helper protocol straight to it, and nothing of that
 * conversation passes through us.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { HelperError } from "../errors.js";

/** Resolves to the child's exit status; a child killed by a signal counts as 128 + its number, as in a shell. */
export function spawnInherited(command: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", (err) => {
      reject(new HelperError("usage", `could not start ${command}: ${err.message}`, `Check that ${command} is on PATH`, { cause: err }));
    });
    child.on("exit", (code, signal) => {
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
