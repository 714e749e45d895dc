/**
 * The hand-off to `git remote-https`. Unlike the Python tool, which signs a password
 * and pastes it into the URL it passes on (visible in process listings, handed to every storing
 * credential helper), the URL here carries no credential: the child git asks this same executable,
 * as its only credential helper for that host, exactly as `get` is asked under a normal setup.
 */
import type { Env } from "../env.js";
import { withConfigEntries } from "../git/config-env.js";
import { shellQuote } from "../git/helper-line.js";
import { scopedHelperEntries } from "../git/scoped-helper.js";
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
  const config = scopedHelperEntries(`https://${endpoint.host}`, credentialHelperCommand(input));
  return { command: "git", args: ["remote-https", input.remoteName, url], env: withConfigEntries(input.env, config), config };
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
