/**
 * Which profile a run uses and where its credentials come from, decided once from our reading of
 * the shared files (botocore's order, src/aws-config/) before anything is fetched: every `get` starts here, so this
 * module stays light (no cache, lock, network or SDK code). When the environment's keys answer, no
 * file is read, and the files' code (the parser, the profile maps, the chain's decision) is not
 * even loaded: an `import()` brings it for the other runs.
 */
import type { CredentialSource } from "../aws-config/credential-source.js";
import { environmentAnswers, envSource } from "../aws-config/environment-credentials.js";
import { selectProfile } from "../aws-config/profile-name.js";
import type { SharedConfig } from "../aws-config/shared-config.js";
import type { Env } from "../env.js";

/** The profile botocore selects (src/aws-config/profile-name.ts): --profile, the environment, else "default". */
export function effectiveProfile(profile: string | undefined, env: Env): string {
  return selectProfile(profile, env).profile;
}

/** A profile checked up front: the files as read (none when the environment answers) and the source decided from them. */
export interface CheckedProfile {
  /**
   * The profile whose settings the credential chain reads ({@link effectiveProfile}), carried here
   * so that the modules handed a checked profile (resolve-credentials.ts, fetch.ts) need not load
   * this one: a lazily loaded module that others import too is split into a chunk of its own, one
   * more for every `get` to load (callgrind: ~60 K instructions).
   */
  readonly profile: string;
  readonly config: SharedConfig | undefined;
  readonly source: CredentialSource;
}

/**
 * Loads the shared files unless environment credentials answer without them, and decides the
 * source once, refusing up front what botocore refuses while loading (an unknown profile, a
 * malformed file, contradictory settings).
 */
export async function checkProfile(profile: string | undefined, env: Env): Promise<CheckedProfile> {
  const name = effectiveProfile(profile, env);
  // No profile named and both keys set: botocore's chain stops at its first provider, the environment's.
  const fromEnv = environmentAnswers(profile, env) ? envSource(env) : undefined;
  if (fromEnv) return { profile: name, config: undefined, source: fromEnv };
  const { profileFromFiles } = await import("./profile-from-files.js");
  return { profile: name, ...profileFromFiles(profile, env) };
}
