/**
 * Argument parsing, the command table (git's operations from gitcredentials(7), and the commands
 * for people that the README describes) and the one place that turns a failure into the line the
 * user sees and an exit code (STYLE habit 3).
 */
import { selectProfile } from "./aws-config/profile-name.js";
import type { Command, Io, ParsedArgs } from "./commands/command.js";
import { storeCommand } from "./commands/store.js";
import { HelperError } from "./errors.js";
import { QUIT } from "./protocol.js";
import { createTracer } from "./trace.js";

export type { Io, ParsedArgs } from "./commands/command.js";

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
        if (Object.hasOwn(FLAGS, arg)) flags[FLAGS[arg] as "debug" | "global"] = true;
        else if (arg.startsWith("-") && arg !== "-")
          throw unknownOption(arg, positional[0] === "clone" || (positional.length === 0 && argv.slice(i + 1).includes("clone")));
        else positional.push(arg);
    }
  }
  return {
    profile,
    region,
    hosts,
    ...flags,
    ...(switches.length > 0 ? { switches } : {}),
    operation: positional[0],
    rest: positional.slice(1),
    passthrough,
  };
}

/** An option we do not know; after `clone` it is most likely git clone's, which go after `--`. */
function unknownOption(arg: string, cloning: boolean): HelperError {
  if (!cloning) return usage(`unknown option ${arg}`);
  return new HelperError(
    "usage",
    `unknown option ${arg}`,
    "git clone's own options go after --, e.g. git-credential-codecommit clone REPOSITORY -- --depth 1",
  );
}

function usage(problem: string): HelperError {
  return new HelperError("usage", problem, "Run git-credential-codecommit --help");
}

/** How to run one operation: its module, loaded only when it runs (STYLE: lazy weight). */
interface Entry {
  readonly load: () => Promise<Command>;
  /**
   * git is waiting for an answer (`get`): a failure then also prints quit=1, which stops git from
   * prompting "Username for ..." (gitcredentials(7): "quit" ends git's search for credentials).
   */
  readonly answersGit?: boolean;
}

/**
 * Every operation, one entry each. `store`, `erase` and a request for another host load nothing
 * of AWS: `store` is not the get module, and get loads its AWS code only for a CodeCommit host.
 */
const COMMANDS: ReadonlyMap<string, Entry> = new Map<string, Entry>([
  ["get", { load: async () => (await import("./commands/get.js")).getCommand, answersGit: true }],
  // store and erase only drain stdin: their few lines are part of this module's chunk, where a load of their own would cost more than they do.
  ["store", { load: async () => storeCommand }],
  ["erase", { load: async () => storeCommand }],
  ["login", { load: async () => (await import("./commands/login.js")).loginCommand }],
  ["setup", { load: async () => (await import("./commands/setup.js")).setupCommand }],
  ["clone", { load: async () => (await import("./commands/clone.js")).cloneCommand }],
  ["doctor", { load: async () => (await import("./commands/doctor.js")).doctorCommand }],
  ["install-remote-helper", { load: async () => (await import("./commands/install-remote-helper.js")).installRemoteHelperCommand }],
  ["--version", { load: async () => (await import("./commands/version.js")).versionCommand }],
  ["--help", { load: async () => (await import("./commands/help.js")).helpCommand }],
  ["-h", { load: async () => (await import("./commands/help.js")).helpCommand }],
  ["help", { load: async () => (await import("./commands/help.js")).helpCommand }],
]);

/** Runs one invocation; returns the exit code. Never throws. */
export async function run(io: Io): Promise<number> {
  let args: ParsedArgs | undefined;
  let entry: Entry | undefined;
  try {
    args = parseArgs(io.argv);
    const trace = createTracer(args.debug, io.stderr);
    if (args.operation === undefined) throw usage("no operation given");
    entry = COMMANDS.get(args.operation);
    if (entry === undefined) {
      // A person at a terminal gets a hint; git may add operations, and an unknown one from git
      // is silently ignored (gitcredentials(7)). git always pipes the request to the helper.
      if (io.stdinIsTerminal?.()) throw usage(`unknown command "${args.operation}"`);
      return 0;
    }
    // The one profile selection of the run (botocore's rule, src/aws-config/profile-name.ts).
    return await (await entry.load())(args, io, trace, selectProfile(args.profile, io.env));
  } catch (err) {
    const error = asHelperError(err);
    io.stderr(`${error.userLine()}\n`);
    if (args?.debug && err instanceof Error) io.stderr(`${scrubStack(err)}\n`);
    // Bad input (git's request unreadable or malformed) is not a request we answer: nothing on stdout.
    if (entry?.answersGit && error.kind !== "bad-input") io.stdout(QUIT);
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
