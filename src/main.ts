/**
 * The only module that touches `process` (STYLE habit 1): argv, env, stdio and the clock go into
 * run(); the exit code comes back.
 */
import { nodeFs } from "./runtime/node-fs.js";
import { run } from "./cli.js";
import { ENV } from "./env.js";
import { HelperError } from "./errors.js";
import { hasBlankLine, MAX_INPUT_BYTES } from "./protocol.js";
import { isRemoteHelperCall } from "./remote/program-name.js";
import { bunRuntime } from "./runtime/bun-runtime.js";
import { readUpTo, syncStdStreams } from "./runtime/stdio.js";
import { bunStdStreams } from "./runtime/stdio-bun.js";

// git shows the helper's stderr to the user: no SDK or runtime warning may reach it (its stderr is the user's one line).
process.env[ENV.sdkNodeVersionWarningDisabled] = "true";
process.emitWarning = () => {};
// Libraries that log through console (e.g. the HTTP handler without a logger) must not either.
console.log = console.info = console.warn = console.error = console.debug = () => {};

/** The working directory, or undefined when it was removed (git may run us from one): cwd() throws then. */
function currentDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/** One invocation: the state below lives as long as it does. */
function main(): Promise<void> {
  const bun = bunRuntime();
  const streams = bun ? bunStdStreams(bun) : syncStdStreams();
  /** Whether anything reached stderr: then the user already has their one line. */
  let stderrUsed = false;

  /** stderr is where failures are told; if it cannot be written there is nobody left to tell. */
  function toStderr(text: string): void {
    stderrUsed = true;
    streams.write(2, text);
  }

  // Started as git-remote-codecommit, this is git's remote helper (gitremote-helpers(7); README: From
  // git-remote-codecommit). A compiled binary sees its start name in argv0 (argv[1] is Bun's virtual
  // entry) and its own file in execPath (links resolved); under node the start name is the script, argv[1].
  const compiled = /^(\/\$bunfs\/|[A-Z]:[\\/]~BUN[\\/])/i.test(process.argv[1] ?? "");
  const programName = compiled ? process.argv0 : (process.argv[1] ?? "");
  const remoteHelper = (): Promise<number> | undefined =>
    isRemoteHelperCall(programName, process.argv.slice(2))
      ? import("./remote/run-remote.js").then(({ runRemote }) =>
          runRemote({
            argv: process.argv.slice(2),
            env: process.env,
            stderr: toStderr,
            selfCommand: compiled ? [process.execPath] : [process.execPath, nodeFs().realpathSync(programName)],
          }),
        )
      : undefined;
  return (
    remoteHelper() ??
    run({
      argv: process.argv.slice(2),
      env: process.env,
      readStdin: async (filesFollow) => {
        try {
          // Stop at git's blank line: git may keep stdin open until it has the answer (gitcredentials(7): the request ends with a blank line).
          return filesFollow ? readUpTo(0, MAX_INPUT_BYTES, hasBlankLine) : await streams.read(MAX_INPUT_BYTES, hasBlankLine);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? "error";
          throw new HelperError(
            "bad-input",
            `cannot read git's request from stdin (${code})`,
            "Run it from git, which writes the request on stdin",
          );
        }
      },
      // A failure (e.g. ENOSPC on /dev/full) is said once, below, as the one line (never an "internal error" pair).
      stdout: (text) => streams.write(1, text),
      stderr: toStderr,
      now: () => new Date(),
      // For setup, clone, doctor and --version; node:tty only when asked.
      cwd: currentDirectory(),
      stdinIsTerminal: () => (require("node:tty") as typeof import("node:tty")).isatty(0),
      runtime: process.versions.bun ? `Bun ${process.versions.bun}` : `Node.js ${process.version}`,
      selfPath: compiled ? process.execPath : programName,
      // Asked only by setup, clone and doctor: a PATH search costs file checks that get must not pay.
      selfCommand: () =>
        import("./git/self-command.js").then(({ selfCommand }) =>
          selfCommand({
            compiled,
            argv0: process.argv0,
            execPath: process.execPath,
            script: process.argv[1],
            pathEnv: process.env[ENV.path],
            cwd: currentDirectory(),
          }),
        ),
    })
  )
    .catch((err: unknown) => {
      // run() never throws; this is the last guard against a stack trace reaching git's user.
      toStderr(
        `git-credential-codecommit: internal error: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}. Run again with --debug and report it\n`,
      );
      return 1;
    })
    .then(async (code) => {
      const stdoutFailure = (await streams.settled())[1];
      if (stdoutFailure !== undefined) {
        if (!stderrUsed)
          toStderr(
            `git-credential-codecommit: cannot write the answer to stdout (${stdoutFailure}). Check where git's pipe, or your redirection, leads\n`,
          );
        await streams.settled();
        code = 1;
      }
      // An STS request that never answered may still hold a socket open; git must not wait for it.
      // Every write has ended above, so nothing is lost by exiting now.
      process.exit(code);
    });
}

void main();
