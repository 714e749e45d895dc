/**
 * `credential_process`, run as botocore's ProcessProvider runs it: the line split as
 * `shlex.split` splits it, no shell, stdout and stderr captured; a non-zero exit is an error that
 * shows the process's stderr (the AWS CLI prints "Error when retrieving credentials from
 * custom-process: <stderr>"); the output must be JSON with `Version: 1`, `AccessKeyId` and
 * `SecretAccessKey`, optionally `SessionToken` and `Expiration`.
 *
 * Its command line is never shown (arguments can hold tokens), and any argument that turns up in
 * its stderr is masked.
 */
import { HelperError } from "../../errors.js";
import type { Env } from "../../env.js";
import type { SigningCredentials } from "../../password.js";
import { checkedExpiry } from "../expiry.js";
import { shlexSplit } from "../../aws-config/shlex.js";

/** More than any real credential JSON; a process printing more is cut off and refused. */
const MAX_OUTPUT_BYTES = 1 << 20;
/** How much of the process's stderr the one-line message carries. */
const MAX_STDERR_CHARS = 300;

export interface ProcessRun {
  readonly profile: string;
  readonly command: string;
  readonly env: Env;
  readonly now: Date;
  /** Ends the process when aborted (the run's bound). */
  readonly signal: AbortSignal;
}

/** What the process printed and how it ended. */
interface Finished {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the profile's credential_process and returns its credentials, or a HelperError. */
export async function processCredentials(run: ProcessRun): Promise<SigningCredentials> {
  const { profile } = run;
  // botocore's compat_shell_split: Python's shlex.split, which refuses an unclosed quote or a
  // trailing backslash.
  const argv = shlexSplit(run.command);
  if (argv === undefined) {
    throw new HelperError(
      "credential-process",
      `credential_process of profile ${profile} cannot be split into arguments (an unclosed quote or a trailing backslash)`,
      "Fix the quoting of credential_process in the profile",
    );
  }
  if (argv.length === 0) {
    throw new HelperError(
      "credential-process",
      `credential_process of profile ${profile} is empty`,
      "Set it to the command that prints the credentials, or remove it",
    );
  }
  const done = await runProcess(argv, run);
  if (done.status !== 0) {
    const how = done.status !== null ? `exit status ${done.status}` : `signal ${done.signal}`;
    const said = oneLine(mask(done.stderr, argv.slice(1)));
    throw new HelperError(
      "credential-process",
      `credential_process of profile ${profile} failed with ${how}${said ? `: ${said}` : ""}`,
      `Run the command of credential_process yourself to see what it needs`,
    );
  }
  return parseOutput(done.stdout, run);
}

/** botocore's checks of the process's JSON, in its order. */
function parseOutput(stdout: string, run: ProcessRun): SigningCredentials {
  const bad = (what: string): HelperError =>
    new HelperError(
      "credential-process",
      `credential_process of profile ${run.profile} ${what}`,
      'Make it print {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...} as the AWS CLI expects',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw bad("did not print JSON");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw bad("did not print a JSON object");
  const out = parsed as Record<string, unknown>;
  if (out.Version !== 1)
    throw bad(`printed Version ${out.Version === undefined ? "(none)" : JSON.stringify(out.Version)}, but only version 1 is supported`);
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = out;
  if (typeof AccessKeyId !== "string" || !AccessKeyId) throw bad("printed no AccessKeyId");
  if (typeof SecretAccessKey !== "string" || !SecretAccessKey) throw bad("printed no SecretAccessKey");
  if (SessionToken !== undefined && SessionToken !== null && typeof SessionToken !== "string")
    throw bad("printed a SessionToken that is not a string");
  let expiration: Date | undefined;
  if (Expiration !== undefined && Expiration !== null) {
    expiration = checkedExpiry(String(Expiration), run.now, {
      setting: "its Expiration",
      what: `the credentials of credential_process of profile ${run.profile}`,
      fix: "fix the credential_process so it prints fresh credentials",
    });
  }
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    ...(typeof SessionToken === "string" && SessionToken ? { sessionToken: SessionToken } : {}),
    ...(expiration ? { expiration } : {}),
  };
}

function runProcess(argv: string[], run: ProcessRun): Promise<Finished> {
  return new Promise((resolve, reject) => {
    // stdin is git's and already read to its end; the process gets none (botocore's inherits it).
    // Required here, not imported: node:child_process costs a compiled get ~1 ms (bench --breakdown).
    const { spawn } = require("node:child_process") as typeof import("node:child_process");
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: run.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      signal: run.signal,
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout.on("data", (d: Buffer) => {
      outBytes += d.length;
      if (outBytes <= MAX_OUTPUT_BYTES) out.push(d);
      else child.kill("SIGKILL");
    });
    child.stderr.on("data", (d: Buffer) => {
      errBytes += d.length;
      if (errBytes <= MAX_OUTPUT_BYTES) err.push(d);
    });
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (e.name === "AbortError") {
        reject(
          new HelperError(
            "credential-process",
            `credential_process of profile ${run.profile} did not finish in time`,
            "Run the command of credential_process yourself to see where it waits",
          ),
        );
        return;
      }
      const why =
        e.code === "ENOENT"
          ? `its program ${argv[0]} was not found`
          : e.code === "EACCES"
            ? `its program ${argv[0]} may not be run (EACCES)`
            : `it could not be started (${e.code ?? "error"})`;
      reject(
        new HelperError(
          "credential-process",
          `credential_process of profile ${run.profile} could not be run: ${why}`,
          "Give the program's full path in credential_process",
        ),
      );
    });
    child.on("close", (status, signal) => {
      if (outBytes > MAX_OUTPUT_BYTES) {
        reject(
          new HelperError(
            "credential-process",
            `credential_process of profile ${run.profile} printed more than ${MAX_OUTPUT_BYTES} bytes`,
            "Make it print only the credentials JSON",
          ),
        );
        return;
      }
      resolve({ status, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** Arguments (which may be tokens) masked wherever the process echoed them. */
function mask(text: string, args: readonly string[]): string {
  let out = text;
  for (const a of args) if (a.length >= 6) out = out.split(a).join("<redacted>");
  return out;
}

/** stderr as one line: lines joined, control characters dropped, cut to a readable length. */
function oneLine(text: string): string {
  const flat = text
    .split(/\r?\n|\r/)
    .map((l) => l.replace(/[\u0000-\u001f\u007f]/g, "").trim())
    .filter(Boolean)
    .join(" / ")
    .replace(/\.+$/, "");
  return flat.length > MAX_STDERR_CHARS ? `${flat.slice(0, MAX_STDERR_CHARS)}…` : flat;
}
