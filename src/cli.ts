/**
 * Argument parsing, the command table (contract §1, §9) and the one place that turns a failure into
 * the line the user sees and an exit code (STYLE habit 3).
 */
import { environmentAnswers } from "./aws-config/profile-name.js";
import { type Env } from "./env.js";
import { HelperError } from "./errors.js";
import type { Spawn } from "./git/spawn.js";
import { PROGRAM_HELP, helpText } from "./help.js";
import { QUIT } from "./protocol.js";
import { createTracer, type Tracer } from "./trace.js";
import { VERSION } from "./version.js";

/** What the shell (main.ts) hands the core. */
export interface Io {
  readonly argv: readonly string[];
  readonly env: Env;
  /**
   * Reads git's request from stdin (bounded by the caller's limit). `filesFollow`: the run goes on
   * to read the AWS config files, so it loads node:fs anyway, and under Bun stdin is then read
   * with it rather than with Bun's stream (issue 13: ~0.3 ms less).
   */
  readonly readStdin: (filesFollow?: boolean) => Promise<Uint8Array>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now: () => Date;
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
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

/** The program's help; also what `--help` prints. */
export const USAGE = PROGRAM_HELP;

/** Options that take no value, and the ParsedArgs field each sets. */
const FLAGS: Readonly<Record<string, "debug" | "global">> = { "--debug": "debug", "--global": "global" };

/** Parses `[options] operation [words]`; options may also follow the operation. `--opt=value` works too. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let profile: string | undefined;
  let region: string | undefined;
  const hosts: string[] = [];
  const flags = { debug: false, global: false };
  const switches: string[] = [];
  const positional: string[] = [];
  let passthrough: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const given = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (given === undefined || given === "") throw usage(`${name} needs a value`);
      return given;
    };
    if (arg === "--") {
      passthrough = argv.slice(i + 1);
      break;
    }
    switch (name) {
      case "--profile":
        profile = value();
        break;
      case "--region":
        region = value();
        break;
      case "--host":
        hosts.push(value());
        break;
      case "--no-browser":
      case "--use-device-code":
      case "--remove":
      case "--fix":
        switches.push(name);
        break;
      case "--version":
      case "--help":
      case "-h":
        positional.unshift(name);
        break;
      default:
        if (Object.prototype.hasOwnProperty.call(FLAGS, arg)) flags[FLAGS[arg] as "debug" | "global"] = true;
        else if (arg.startsWith("-") && arg !== "-") throw unknownOption(arg, positional[0] === "clone" || (positional.length === 0 && argv.slice(i + 1).includes("clone")));
        else positional.push(arg);
    }
  }
  return { profile, region, hosts, ...flags, ...(switches.length > 0 ? { switches } : {}), operation: positional[0], rest: positional.slice(1), passthrough };
}

/** An option we do not know; after `clone` it is most likely git clone's, which go after `--`. */
function unknownOption(arg: string, cloning: boolean): HelperError {
  if (!cloning) return usage(`unknown option ${arg}`);
  return new HelperError("usage", `unknown option ${arg}`, "git clone's own options go after --, e.g. git-credential-codecommit clone REPOSITORY -- --depth 1");
}

function usage(problem: string): HelperError {
  return new HelperError("usage", problem, "Run git-credential-codecommit --help");
}

/** A command a person runs (not git): its arguments and the shell's Io in, the exit code out. */
export type Command = (args: ParsedArgs, io: Io, trace: Tracer) => Promise<number>;

/** Commands for people, each loaded only when run (STYLE: lazy weight). Add one line per command. */
const COMMANDS: ReadonlyMap<string, () => Promise<Command>> = new Map([
  ["setup", async () => (await import("./commands/setup.js")).setupCommand],
  ["clone", async () => (await import("./commands/clone.js")).cloneCommand],
  ["doctor", async () => (await import("./commands/doctor.js")).doctorCommand],
]);

/** Runs one invocation; returns the exit code. Never throws. */
export async function run(io: Io): Promise<number> {
  let args: ParsedArgs | undefined;
  let answering = false;
  try {
    args = parseArgs(io.argv);
    const trace = createTracer(args.debug, io.stderr);
    switch (args.operation) {
      case "get": {
        const { get } = await import("./commands/get.js");
        // Unless the environment's keys answer, a CodeCommit request reads the shared files next.
        const input = await io.readStdin(!environmentAnswers(args.profile, io.env));
        answering = true;
        const out = await get(input, args, { env: io.env, now: io.now, trace, promptMfa: io.promptMfa });
        io.stdout(out);
        return 0;
      }
      case "login": {
        const { login } = await import("./commands/login.js");
        const sw = args.switches ?? [];
        return await login({ profile: args.profile, noBrowser: sw.includes("--no-browser"), useDeviceCode: sw.includes("--use-device-code") }, { env: io.env, now: io.now, trace, stdout: io.stdout, stderr: io.stderr });
      }
      case "store":
      case "erase":
        // Nothing to store: every password is computed fresh (contract §3). Drain stdin so git's
        // write never fails, and load nothing else.
        await io.readStdin();
        return 0;
      case "install-remote-helper": {
        // Issue 11: the name git-remote-codecommit next to this program (contract §9).
        const { installRemoteHelper } = await import("./remote/install.js");
        if (args.rest.length > 1 || io.selfPath === undefined) throw usage("install-remote-helper takes at most one directory");
        io.stdout(installRemoteHelper({ selfPath: io.selfPath, dir: args.rest[0], pathEnv: io.env.PATH }));
        return 0;
      }
      case "--version":
        io.stdout(`git-credential-codecommit ${VERSION}${io.runtime ? ` (${io.runtime})` : ""}\n`);
        return 0;
      case "--help":
      case "-h":
      case "help":
        io.stdout(helpText(args.rest[0]));
        return 0;
      case undefined:
        throw usage("no operation given");
      default: {
        const command = COMMANDS.get(args.operation);
        if (command) return await (await command())(args, io, trace);
        // A person at a terminal gets a hint; git may add operations, and an unknown one from git
        // is silently ignored (gitcredentials(7)). git always pipes the request to the helper.
        if (io.stdinIsTerminal?.()) throw usage(`unknown command "${args.operation}"`);
        return 0;
      }
    }
  } catch (err) {
    const error = asHelperError(err);
    io.stderr(`${error.userLine()}\n`);
    if (args?.debug && err instanceof Error) io.stderr(`${scrubStack(err)}\n`);
    // For a request we answer, quit=1 stops git from prompting "Username for ..." (contract §7).
    // Bad input is not a request we answer: nothing on stdout.
    if (answering && error.kind !== "bad-input") io.stdout(QUIT);
    return 1;
  }
}

function asHelperError(err: unknown): HelperError {
  if (err instanceof HelperError) return err;
  const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
  return new HelperError("credentials", `unexpected failure: ${message}`, "Run again with --debug and report it");
}

/** A stack for --debug: only frames, since the first line (the message) was already printed. */
function scrubStack(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  const stack = (cause instanceof Error ? cause.stack : err.stack) ?? "";
  return stack
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .join("\n");
}
