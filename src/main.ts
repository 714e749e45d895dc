/**
 * The only module that touches `process` (STYLE habit 1): argv, env, stdio and the clock go into
 * run(); the exit code comes back.
 */
import { run } from "./cli.js";
import { ENV } from "./env.js";
import { promptMfaCode, terminalPaths } from "./credentials/mfa-prompt.js";
import { MAX_INPUT_BYTES } from "./protocol.js";
import { readUpTo, writeAll } from "./stdio.js";
import { isRemoteHelperCall } from "./remote/program-name.js";
import { realpathSync } from "node:fs";

// git shows the helper's stderr to the user: no SDK or runtime warning may reach it (contract §5).
process.env[ENV.sdkNodeVersionWarningDisabled] = "true";
process.emitWarning = () => {};
// Libraries that log through console (e.g. the HTTP handler without a logger) must not either.
console.log = console.info = console.warn = console.error = console.debug = () => {};

const paths = terminalPaths(process.platform);
// Issue 11: started as git-remote-codecommit, this is git's remote helper (contract §9). A compiled
// binary sees its start name in argv0 (argv[1] is Bun's virtual entry) and its own file in execPath
// (links resolved); under node the start name is the script, argv[1].
const compiled = /^(\/\$bunfs\/|[A-Z]:[\\/]~BUN[\\/])/i.test(process.argv[1] ?? "");
const programName = compiled ? process.argv0 : (process.argv[1] ?? "");
const remoteHelper = (): Promise<number> | undefined =>
  isRemoteHelperCall(programName, process.argv.slice(2))
    ? import("./remote/run-remote.js").then(({ runRemote }) =>
        runRemote({ argv: process.argv.slice(2), env: process.env, stderr: (text) => writeAll(2, text), selfCommand: compiled ? [process.execPath] : [process.execPath, realpathSync(programName)] }),
      )
    : undefined;
(remoteHelper() ?? run({
  argv: process.argv.slice(2),
  env: process.env,
  readStdin: async () => readUpTo(0, MAX_INPUT_BYTES),
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
  now: () => new Date(),
  promptMfa: (serial, profile) => promptMfaCode(serial, profile, process.env, paths),
  // For setup, clone, doctor and --version (issue 10); node:tty only when asked.
  cwd: process.cwd(),
  stdinIsTerminal: () => (require("node:tty") as typeof import("node:tty")).isatty(0),
  runtime: process.versions.bun ? `Bun ${process.versions.bun}` : `Node.js ${process.version}`,
  selfPath: compiled ? process.execPath : programName,
}))
  .catch((err: unknown) => {
    // run() never throws; this is the last guard against a stack trace reaching git's user.
    writeAll(2, `git-credential-codecommit: internal error: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}. Run again with --debug and report it\n`);
    return 1;
  })
  .then((code) => {
    // An STS request that never answered may still hold a socket open; git must not wait for it.
    // Every write above was synchronous, so nothing is lost by exiting now.
    process.exit(code);
  });
