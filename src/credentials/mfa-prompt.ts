/**
 * Asks for an MFA code as git asks for a password (git's prompt.c): through the askpass program
 * git would use (`GIT_ASKPASS`, `core.askPass`, `SSH_ASKPASS`: an IDE's or GUI's prompt window),
 * else on the controlling terminal, never from stdin: stdin belongs to git, which is talking the
 * credential protocol on it. On the terminal (compat/terminal.c opens /dev/tty too) the code is
 * not echoed, as the AWS CLI's `getpass` does not echo it: the terminal is put in raw mode (the
 * runtime's own setRawMode, in Node and Bun alike) for the one line, and restored.
 */
import { nodeFs } from "../runtime/node-fs.js";
import type { ReadStream } from "node:tty";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import {
  askpassCommand,
  askpassProgram,
  askThrough,
  coreAskPassFromGit,
  fileProbe,
  runSyncProgram,
  type RunSync,
  type ScriptProbe,
} from "../git/askpass.js";

/** How an askpass program is found and run; the real ones unless a test gives its own. */
export interface AskpassSeams {
  readonly runSync: RunSync;
  readonly probe: ScriptProbe;
}

const REAL_ASKPASS: AskpassSeams = { runSync: runSyncProgram, probe: fileProbe };

/**
 * The question a person is asked, by an askpass program or on the terminal: git's own shape for a
 * password, with the device's ARN where git puts the URL (git's prompt.c asks both the same way).
 * IDE askpass programs parse git's prompts (VS Code's splits on spaces and
 * accepts only `Username` or `Password` `for '<url>':`, and hides the typing only for a password),
 * so anything else would fail there or show the code in clear text.
 */
export function askpassPrompt(mfaSerial: string): string {
  return `Password for '${mfaSerial}': `;
}

/** Whether a person can be asked at all: an askpass program is set, or a terminal may be used and opens. */
export function promptAvailable(env: Env, platform: NodeJS.Platform, seams: AskpassSeams = REAL_ASKPASS): boolean {
  return askpassProgram(env, () => coreAskPassFromGit(env, seams.runSync)) !== undefined || terminalAvailable(env, terminalPaths(platform));
}

/**
 * Asks for the code of `mfaSerial` and returns it. The askpass program comes first; when it fails
 * (cannot start, or exits non-zero) the terminal is tried next, as git does, and only an empty
 * answer is final: a person who closed the window without typing has cancelled.
 */
export function promptMfaCode(
  mfaSerial: string,
  profile: string,
  env: Env,
  platform: NodeJS.Platform,
  seams: AskpassSeams = REAL_ASKPASS,
): string {
  const program = askpassProgram(env, () => coreAskPassFromGit(env, seams.runSync));
  let askpassFailed: string | undefined;
  if (program !== undefined) {
    const got = askThrough(askpassCommand(program, askpassPrompt(mfaSerial), platform, env, seams.probe), env, seams.runSync);
    if (got.ok) {
      const code = got.answer.trim();
      if (code === "") {
        throw new HelperError(
          "mfa",
          `the MFA prompt for ${mfaSerial} (profile ${profile}) was cancelled: the askpass program "${program}" answered nothing`,
          "Run the git command again and enter the code from your MFA device",
        );
      }
      return checkedCode(code, mfaSerial);
    }
    askpassFailed = `the askpass program "${program}" failed (${got.why})`;
  }
  return promptOnTerminal(mfaSerial, profile, env, terminalPaths(platform), askpassFailed);
}

/** The code as typed, if it has an MFA code's shape: six digits. */
function checkedCode(code: string, mfaSerial: string): string {
  if (!/^\d{6}$/.test(code)) {
    throw new HelperError(
      "mfa",
      `the MFA code for ${mfaSerial} must be 6 digits`,
      "Run the git command again and type the code from your MFA device",
    );
  }
  return code;
}

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
function promptOnTerminal(mfaSerial: string, profile: string, env: Env, paths: TerminalPaths, askpassFailed: string | undefined): string {
  const noTerminal = (why: string): HelperError =>
    new HelperError(
      "mfa-no-terminal",
      `profile ${profile} needs an MFA code for ${mfaSerial}, but ${askpassFailed ? `${askpassFailed} and ` : ""}${why}`,
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
    fs.writeSync(outFd, askpassPrompt(mfaSerial));
    const typed = stream ? readHidden(inFd, mfaSerial) : readLine(inFd);
    // Enter was not echoed either: end the prompt's line as getpass does.
    if (stream) fs.writeSync(outFd, "\n");
    return checkedCode(typed.trim(), mfaSerial);
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
  // compiled executable ~2 ms on every run (measured with bench --breakdown).
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
      if (byte === 0x03)
        throw new HelperError("mfa", `the MFA prompt for ${mfaSerial} was cancelled`, "Run the git command again to be asked once more");
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
