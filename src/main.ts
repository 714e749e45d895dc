/**
 * The only module that touches `process` (STYLE habit 1): argv, env, stdio and the clock go into
 * run(); the exit code comes back.
 */
import { run } from "./cli.js";
import { ENV } from "./env.js";
import { promptMfaCode, terminalPaths } from "./credentials/mfa-prompt.js";
import { MAX_INPUT_BYTES } from "./protocol.js";

// git shows the helper's stderr to the user: no SDK or runtime warning may reach it (contract §5).
process.env[ENV.sdkNodeVersionWarningDisabled] = "true";
process.emitWarning = () => {};
// Libraries that log through console (e.g. the HTTP handler without a logger) must not either.
console.log = console.info = console.warn = console.error = console.debug = () => {};

/** Reads stdin up to one byte past the limit, so oversize input is detected without reading it all. */
function readStdin(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stdin = process.stdin;
    stdin.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_INPUT_BYTES) {
        stdin.pause();
        stdin.removeAllListeners("data");
        resolve(Buffer.concat(chunks));
      }
    });
    stdin.on("end", () => resolve(Buffer.concat(chunks)));
    stdin.on("error", (err) => ((err as NodeJS.ErrnoException).code === "EAGAIN" ? resolve(Buffer.concat(chunks)) : reject(err)));
  });
}

const paths = terminalPaths(process.platform);
run({
  argv: process.argv.slice(2),
  env: process.env,
  readStdin,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
  promptMfa: (serial, profile) => promptMfaCode(serial, profile, process.env, paths),
})
  .catch((err: unknown) => {
    // run() never throws; this is the last guard against a stack trace reaching git's user.
    process.stderr.write(`git-credential-codecommit: internal error: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}. Run again with --debug and report it\n`);
    return 1;
  })
  .then((code) => {
    process.exitCode = code;
    // An STS request that never answered may still hold a socket open; git must not wait for it.
    // Exit once stdout has been flushed.
    process.stdout.write("", () => process.exit(code));
  });
