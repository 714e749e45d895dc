/**
 * The hand-off to `git remote-https` (contract §9). Unlike the Python tool, which signs a password
 * and pastes it into the URL it passes on (visible in process listings, handed to every storing
 * credential helper), the URL here carries no credential: the child git asks this same executable,
 * as its only credential helper for that host, exactly as `get` is asked under a normal setup.
 */
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { RemoteEndpoint } from "./endpoint.js";

/** What to run: `git remote-https <remote> <url>`, with its environment. */
export interface HandOff {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The config entries appended for the child, for tracing (they hold no secret). */
  readonly config: ReadonlyArray<readonly [string, string]>;
}

export interface HandOffInput {
  /** git's first argument: the remote's name (or the URL itself for an unnamed remote). */
  readonly remoteName: string;
  readonly repository: string;
  /** The URL's profile; undefined leaves the choice to AWS_PROFILE, as the Python tool does. */
  readonly profile: string | undefined;
  readonly endpoint: RemoteEndpoint;
  /** How to start this executable again: `[binary]`, or `[node, script]` for the npm bin. */
  readonly selfCommand: readonly string[];
  readonly env: Env;
  /** Adds --debug to the credential helper, so its steps are traced too. */
  readonly debug: boolean;
}

/** Builds the child's command line and environment. */
export function planHandOff(input: HandOffInput): HandOff {
  const { endpoint } = input;
  const url = `https://${endpoint.host}/v1/repos/${input.repository}`;
  const scope = `credential.https://${endpoint.host}`;
  const config: Array<readonly [string, string]> = [
    // An empty value clears every helper configured before it (gitcredentials(7)): no storing
    // helper (osxkeychain, manager, store) ever sees the 15-minute password.
    [`${scope}.helper`, ""],
    [`${scope}.helper`, credentialHelperCommand(input)],
    // The signature covers the repository path, which git sends only with useHttpPath.
    [`${scope}.useHttpPath`, "true"],
  ];
  return { command: "git", args: ["remote-https", input.remoteName, url], env: appendGitConfig(input.env, config), config };
}

/**
 * The helper as git's config value. git runs a value starting with `!` as a shell command with the
 * operation appended, so the absolute path of this executable, quoted, works whether or not it is on
 * PATH and whatever its directory is called. The first argument is an option (`--region`): that
 * tells a copy of the binary that is itself named git-remote-codecommit to act as the credential
 * helper (see isRemoteHelperCall). --region is always right to pass: it only counts for a host
 * that names no region, which is the CODE_COMMIT_ENDPOINT case, also given as --host.
 */
function credentialHelperCommand(input: HandOffInput): string {
  const words = [...input.selfCommand, "--region", input.endpoint.region];
  if (input.profile !== undefined) words.push("--profile", input.profile);
  if (input.endpoint.overridden) words.push("--host", input.endpoint.host.replace(/:\d+$/, ""));
  if (input.debug) words.push("--debug");
  return `!${words.map(shellQuote).join(" ")}`;
}

/** Single-quotes a word for a POSIX shell (git runs `!` helpers with sh, also on Windows). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Adds config entries so that they are the last word for the child git. git reads
 * GIT_CONFIG_COUNT/KEY_n/VALUE_n first and GIT_CONFIG_PARAMETERS (what `git -c` and `--config-env`
 * pass down) after it (config.c, git_config_from_parameters), so when the parent was started with
 * `-c credential.helper=store` that helper would come after a reset given through GIT_CONFIG_COUNT
 * and be handed the password. So: appended to GIT_CONFIG_PARAMETERS when it is set, else after the
 * GIT_CONFIG_COUNT entries (git-config(1) "ENVIRONMENT"). Either way the caller's own settings (a CA
 * file, a proxy) are kept and still apply.
 */
export function appendGitConfig(env: Env, entries: ReadonlyArray<readonly [string, string]>): Record<string, string | undefined> {
  const parameters = env[ENV.gitConfigParameters];
  if (parameters !== undefined && parameters.trim() !== "") {
    const ours = entries.map(([key, value]) => `${sqQuote(key)}=${sqQuote(value)}`);
    return { ...env, [ENV.gitConfigParameters]: [parameters, ...ours].join(" ") };
  }
  const given = env[ENV.gitConfigCount];
  let count = 0;
  if (given !== undefined && given !== "") {
    if (!/^\d+$/.test(given)) throw new HelperError("usage", `${ENV.gitConfigCount} is "${given}", not a number`, `Unset ${ENV.gitConfigCount} or correct it`);
    count = Number(given);
  }
  const out: Record<string, string | undefined> = { ...env };
  for (const [key, value] of entries) {
    out[`${ENV.gitConfigKeyPrefix}${count}`] = key;
    out[`${ENV.gitConfigValuePrefix}${count}`] = value;
    count++;
  }
  out[ENV.gitConfigCount] = String(count);
  return out;
}

/**
 * git's own quoting for GIT_CONFIG_PARAMETERS (quote.c sq_quote_buf): single quotes, with `'` and
 * `!` each written as `'\''` / `'\!'`. The `'key'='value'` pairs it forms are the form git ≥ 2.31
 * writes for `-c`; older git has no GIT_CONFIG_COUNT either.
 */
function sqQuote(text: string): string {
  return `'${text.replace(/['!]/g, (c) => `'\\${c}'`)}'`;
}
