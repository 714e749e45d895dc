/**
 * Reads an MFA code from the controlling terminal, never from stdin: stdin belongs to git, which
 * is talking the credential protocol on it (contract §6). This is what git itself does for its
 * own prompts (compat/terminal.c opens /dev/tty). The code is not echoed, as the AWS CLI's
 * `getpass` does not echo it: the terminal is put in raw mode (the runtime's own setRawMode, in
 * Node and Bun alike) for the one line, and restored.
 */
import { nodeFs } from "../node-fs.js";
import type { ReadStream } from "node:tty";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";

export interface TerminalPaths {
  readonly input: string;
  readonly output: string;
}

/** The controlling terminal's device names per platform. */
export function terminalPaths(platform: NodeJS.Platform): TerminalPaths {
  return platform === "win32" ? { input: "CONIN$", output: "CONOUT$" } : { input: "/dev/tty", output: "/dev/tty" };
}

/** Whether a prompt could be shown at all: prompting allowed and a terminal that opens. */
export function terminalAvailable(env: Env, paths: TerminalPaths): boolean {
  if (env[ENV.gitTerminalPrompt] === "0") return false;
  try {
    nodeFs().closeSync(nodeFs().openSync(paths.input, "r"));
    return true;
  } catch {
    return false;
  }
}

/** Asks for the code of `mfaSerial` on the terminal and returns what was typed, trimmed. */
export function promptMfaCode(mfaSerial: string, profile: string, env: Env, paths: TerminalPaths): string {
  const noTerminal = (why: string): HelperError =>
    new HelperError(
      "mfa-no-terminal",
      `profile ${profile} needs an MFA code for ${mfaSerial}, but ${why}`,
      `Run a git command from a terminal once, or run "aws sts get-caller-identity --profile ${profile}" to cache a role session first`,
    );
  if (env[ENV.gitTerminalPrompt] === "0") throw noTerminal("GIT_TERMINAL_PROMPT=0 forbids prompting");

  const fs = nodeFs();
  let inFd: number;
  try {
    inFd = fs.openSync(paths.input, "r");
  } catch {
    throw noTerminal("there is no terminal to ask on");
  }
  let outFd: number | undefined;
  // Raw mode needs a stream over the terminal; it then owns the descriptor and closes it.
  const stream = rawTerminal(inFd);
  try {
    outFd = fs.openSync(paths.output, "w");
    fs.writeSync(outFd, `Enter MFA code for ${mfaSerial}: `);
    const typed = stream ? readHidden(inFd, mfaSerial) : readLine(inFd);
    // Enter was not echoed either: end the prompt's line as getpass does.
    if (stream) fs.writeSync(outFd, "\n");
    const code = typed.trim();
    if (!/^\d{6}$/.test(code)) {
      throw new HelperError("mfa", `the MFA code for ${mfaSerial} must be 6 digits`, "Run the git command again and type the code from your MFA device");
    }
    return code;
  } catch (err) {
    if (err instanceof HelperError) throw err;
    throw noTerminal("the terminal could not be read");
  } finally {
    if (outFd !== undefined) fs.closeSync(outFd);
    if (stream) {
      try {
        stream.setRawMode(false);
      } catch {
        // the terminal went away: nothing to restore
      }
      stream.destroy();
    } else {
      fs.closeSync(inFd);
    }
  }
}

/** The terminal on `fd` switched to raw mode (no echo), or undefined when it is not a terminal. */
function rawTerminal(fd: number): ReadStream | undefined {
  // Required here, not imported: main.ts imports this module, and loading node:tty costs the
  // compiled executable ~2 ms on every run (issue 13, bench --breakdown).
  const tty = require("node:tty") as typeof import("node:tty");
  if (!tty.isatty(fd)) return undefined;
  try {
    const stream = new tty.ReadStream(fd);
    stream.setRawMode(true);
    return stream;
  } catch {
    return undefined;
  }
}

/**
 * Reads one line from a raw terminal, doing the little a line discipline would: Enter ends it,
 * Backspace/Delete remove a character, Ctrl-C cancels, Ctrl-D on an empty line ends it.
 */
function readHidden(fd: number, mfaSerial: string): string {
  let line = "";
  const buf = Buffer.alloc(64);
  for (;;) {
    const n = readSome(fd, buf);
    if (n === 0) return line;
    for (const byte of buf.subarray(0, n)) {
      if (byte === 0x0d || byte === 0x0a) return line;
      if (byte === 0x03) throw new HelperError("mfa", `the MFA prompt for ${mfaSerial} was cancelled`, "Run the git command again to be asked once more");
      if (byte === 0x04 && line === "") return line;
      if (byte === 0x7f || byte === 0x08) line = line.slice(0, -1);
      else if (byte >= 0x20 && line.length < 64) line += String.fromCharCode(byte);
    }
  }
}

/** One read(2) from the terminal, retried while it would block (a non-blocking descriptor). */
function readSome(fd: number, buf: Buffer): number {
  for (;;) {
    try {
      return nodeFs().readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
    }
  }
}

/** Reads bytes until a newline or end of input; a terminal in canonical mode delivers a line at once. */
function readLine(fd: number): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(256);
  for (;;) {
    const n = readSome(fd, buf);
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    if (buf.subarray(0, n).includes(10)) break;
    if (chunks.length > 16) break;
  }
  return Buffer.concat(chunks).toString("utf8").split("\n")[0] as string;
}
