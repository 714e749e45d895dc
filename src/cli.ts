/**
 * Argument parsing and the operation table (contract §1). The one place that turns a failure into
 * the line the user sees and an exit code (STYLE habit 3).
 */
import { type Env } from "./env.js";
import { HelperError } from "./errors.js";
import { QUIT } from "./protocol.js";
import { createTracer } from "./trace.js";
import { VERSION } from "./version.js";

/** What the shell (main.ts) hands the core. */
export interface Io {
  readonly argv: readonly string[];
  readonly env: Env;
  /** Reads all of stdin (bounded by the caller's limit). */
  readonly readStdin: () => Promise<Buffer>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now: () => Date;
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
}

export interface ParsedArgs {
  readonly profile: string | undefined;
  readonly region: string | undefined;
  readonly hosts: readonly string[];
  readonly debug: boolean;
  /** Switches of a subcommand (`login --no-browser`, `--use-device-code`). */
  readonly switches?: readonly string[];
  readonly operation: string | undefined;
  readonly rest: readonly string[];
}

export const USAGE = `usage: git-credential-codecommit [--profile NAME] [--region REGION] [--host NAME]... [--debug] <get|store|erase>
       git-credential-codecommit login [--profile NAME] [--no-browser | --use-device-code]
       git-credential-codecommit --version | --help

Use it from git as:
  git config credential.helper 'codecommit --profile NAME'
  git config credential.UseHttpPath true
`;

/** Parses `[options] operation`; options may also follow the operation. `--opt=value` works too. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let profile: string | undefined;
  let region: string | undefined;
  const hosts: string[] = [];
  let debug = false;
  const switches: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const given = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (given === undefined || given === "") throw usage(`${name} needs a value`);
      return given;
    };
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
      case "--debug":
        debug = true;
        break;
      case "--no-browser":
      case "--use-device-code":
        switches.push(name);
        break;
      case "--version":
      case "--help":
      case "-h":
        positional.unshift(name);
        break;
      default:
        if (arg.startsWith("-") && arg !== "-") throw usage(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  return { profile, region, hosts, debug, ...(switches.length > 0 ? { switches } : {}), operation: positional[0], rest: positional.slice(1) };
}

function usage(problem: string): HelperError {
  return new HelperError("usage", problem, "Run git-credential-codecommit --help");
}

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
        const input = await io.readStdin();
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
      case "--version":
        io.stdout(`git-credential-codecommit ${VERSION}\n`);
        return 0;
      case "--help":
      case "-h":
        io.stdout(USAGE);
        return 0;
      case undefined:
        throw usage("no operation given");
      default:
        // git may add operations; an unknown one is silently ignored (gitcredentials(7)).
        return 0;
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
