/**
 * What a command is: the parsed arguments, the shell's Io, the tracer and the one profile
 * selection of the run go in, the exit code comes out. Its own file so that cli.ts (which runs the
 * commands) and the commands (which only need the shape) do not import each other.
 */
import type { ProfileSelection } from "../aws-config/profile-name.js";
import type { Env } from "../env.js";
import type { Spawn } from "../git/spawn.js";
import type { Tracer } from "../trace.js";

/** What the shell (main.ts) hands the core. */
export interface Io {
  readonly argv: readonly string[];
  readonly env: Env;
  /**
   * Reads git's request from stdin (bounded by the caller's limit). `filesFollow`: the run goes on
   * to read the AWS config files, so it loads node:fs anyway, and under Bun stdin is then read
   * with it rather than with Bun's stream (~0.3 ms less a run, bench/bench.ts).
   */
  readonly readStdin: (filesFollow?: boolean) => Promise<Uint8Array>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now: () => Date;
  /** Asks for an MFA code; absent, the real prompt (askpass, then the terminal) is loaded when a profile needs one. */
  readonly promptMfa?: (mfaSerial: string, profile: string) => string;
  /** The working directory (setup, clone and doctor act on the repository there); "." when absent. */
  readonly cwd?: string;
  /** Starts git and other programs (setup, clone, doctor); the real one is loaded when absent. */
  readonly spawn?: Spawn;
  /** Whether stdin is a terminal: a person typing, not git (which always pipes its request). */
  readonly stdinIsTerminal?: () => boolean;
  /** The runtime that runs this program, e.g. "Bun 1.4.5" or "Node.js v20.20.2", for --version. */
  readonly runtime?: string;
  /** This program's own file: the fix doctor prints when git cannot find it on PATH; install-remote-helper links to it. */
  readonly selfPath?: string;
  /** This program as a helper line starts it: its path as started (links kept), with node first for the npm bin. */
  readonly selfCommand?: () => Promise<readonly string[]>;
}

export interface ParsedArgs {
  readonly profile: string | undefined;
  readonly region: string | undefined;
  readonly hosts: readonly string[];
  readonly debug: boolean;
  /** `setup --global`. */
  readonly global: boolean;
  /** Switches of a subcommand (`login --no-browser`, `--use-device-code`). */
  readonly switches?: readonly string[];
  readonly operation: string | undefined;
  /** Positional words after the operation (clone's repository and directory, doctor's URL). */
  readonly rest: readonly string[];
  /** Everything after `--`, untouched (clone passes it to git clone). */
  readonly passthrough: readonly string[];
}

/**
 * A command of this program: its arguments, the shell's Io, the tracer, and the profile botocore
 * would use for this run (selected once, in cli.ts, from --profile and the environment).
 */
export type Command = (args: ParsedArgs, io: Io, trace: Tracer, profile: ProfileSelection) => Promise<number>;
