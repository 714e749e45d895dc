/**
 * Credential resolution for one run, from a profile checked up front
 * (check-profile.ts): credentials at hand are used as they are (at-hand.ts), and only the rest
 * loads the code that fetches them (fetch.ts: network, cache lock, MFA prompt, SDK).
 */
import type { Env } from "../env.js";
import type { SigningCredentials } from "../password.js";
import type { Tracer } from "../trace.js";
import { credentialsAtHand } from "./at-hand.js";
import { type CheckedProfile, effectiveProfile } from "./check-profile.js";

export interface ResolveOptions {
  /** `--profile`; undefined means the default chain. */
  readonly profile: string | undefined;
  /** The CodeCommit host's region: where STS is called unless the profile names a region. */
  readonly hostRegion: string;
  readonly env: Env;
  readonly trace: Tracer;
  /** Asks the user for an MFA code (on the terminal). */
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
  /** Whether an MFA prompt is possible at all; by default: a terminal and GIT_TERMINAL_PROMPT != 0. */
  readonly canPrompt?: () => boolean;
  /** The clock for expiry, cache freshness and session names; the real one when absent. */
  readonly now?: () => Date;
}

/** Resolves credentials, or throws a HelperError that says what to do. */
export async function resolveCredentials(options: ResolveOptions, checked: CheckedProfile): Promise<SigningCredentials> {
  const { env, trace } = options;
  const now = options.now ?? (() => new Date());
  trace("credential source", { profile: options.profile ?? `${effectiveProfile(options.profile, env)} (default chain)`, source: checked.source.kind });
  let creds = credentialsAtHand(checked.source, { env, now: now(), trace });
  if (creds === undefined) {
    const { fetchCredentials } = await import("./fetch.js");
    creds = await fetchCredentials({ ...options, now }, checked);
  }
  trace.secret(creds.secretAccessKey);
  trace.secret(creds.sessionToken);
  trace("resolved credentials", { accessKeyId: creds.accessKeyId, expiration: creds.expiration, sessionToken: creds.sessionToken });
  return creds;
}
