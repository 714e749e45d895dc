/**
 * The profile checked from the shared files: read them, then decide the source from them. Both
 * come in one module so that check-profile.ts loads them with one `import()`, made only by a run
 * the environment's keys do not answer: two imports (the reader, the decision) made two more chunks
 * for every file-reading run to load (callgrind: ~40 K instructions more on a static or role `get`).
 */
import type { CredentialSource } from "../aws-config/credential-source.js";
import { credentialSourceFor } from "../aws-config/credential-source-for.js";
import { type LoadedSharedConfig, loadSharedConfig } from "../aws-config/shared-config.js";
import type { Env } from "../env.js";

/** The files as read and the source botocore would use from them; throws what botocore refuses while loading. */
export function profileFromFiles(profile: string | undefined, env: Env): { config: LoadedSharedConfig; source: CredentialSource } {
  const config = loadSharedConfig(env);
  return { config, source: credentialSourceFor({ profileArg: profile, env, config }) };
}
