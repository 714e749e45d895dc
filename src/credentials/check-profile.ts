/**
 * Which profile a run uses and where its credentials come from, decided once from our reading of
 * the shared files (botocore's order, src/aws-config/) before anything is fetched: every `get` starts here, so this
 * module stays light (no cache, lock, network or SDK code).
 */
import type { CredentialSource } from "../aws-config/credential-source.js";
import { credentialSourceFor } from "../aws-config/credential-source-for.js";
import { environmentAnswers } from "../aws-config/environment-credentials.js";
import { selectProfile } from "../aws-config/profile-name.js";
import { loadSharedConfig, type SharedConfig } from "../aws-config/shared-config.js";
import type { Env } from "../env.js";

/** The profile botocore selects (src/aws-config/profile-name.ts): --profile, the environment, else "default". */
export function effectiveProfile(profile: string | undefined, env: Env): string {
  return selectProfile(profile, env).profile;
}

/** No files: what the decision sees when the environment answers. */
const NO_FILES: SharedConfig = { configFile: "", credentialsFile: "", profiles: new Map() };

/** A profile checked up front: the files as read (none when the environment answers) and the source decided from them. */
export interface CheckedProfile {
  readonly config: SharedConfig | undefined;
  readonly source: CredentialSource;
}

/**
 * Loads the shared files unless environment credentials answer without them, and decides the
 * source once, refusing up front what botocore refuses while loading (an unknown profile, a
 * malformed file, contradictory settings).
 */
export function checkProfile(profile: string | undefined, env: Env): CheckedProfile {
  const config = environmentAnswers(profile, env) ? undefined : loadSharedConfig(env);
  return { config, source: credentialSourceFor({ profileArg: profile, env, config: config ?? NO_FILES }) };
}
