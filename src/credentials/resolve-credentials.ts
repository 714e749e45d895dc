/**
 * Credential resolution for one run, from a profile checked up front
 * (check-profile.ts): credentials at hand are used as they are (at-hand.ts), and only the rest
 * loads the code that fetches them (fetch.ts: network, cache lock, MFA prompt, SDK).
 */
import type { SigningCredentials } from "../password.js";
import { credentialsAtHand } from "./at-hand.js";
import type { CheckedProfile } from "./check-profile.js";
import type { ResolveOptions } from "./resolve-options.js";

export type { ResolveOptions } from "./resolve-options.js";

/** Resolves credentials, or throws a HelperError that says what to do. */
export async function resolveCredentials(options: ResolveOptions, checked: CheckedProfile): Promise<SigningCredentials> {
  const { env, trace } = options;
  const now = options.now ?? (() => new Date());
  trace("credential source", {
    profile: options.profile ?? `${checked.profile} (default chain)`,
    source: checked.source.kind,
  });
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
