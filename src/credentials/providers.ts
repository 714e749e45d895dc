/**
 * Credentials that must be fetched (contract §6), for one run: the source decided from our reading
 * of the shared files (never the SDK's) is executed by resolve-source.ts within one network budget,
 * with the network settings the AWS CLI would use, role and SSO sessions shared with the AWS CLI
 * through its cache, and MFA codes asked on the terminal only on a cache miss.
 */
import { setting } from "../aws-config/ini.js";
import { HelperError } from "../errors.js";
import type { SigningCredentials } from "../password.js";
import { lockOptionsForThisProcess, type LockTiming } from "./cache-lock.js";
import type { SessionCache } from "./cached-session.js";
import { type CheckedProfile, effectiveProfile } from "./check-profile.js";
import type { ResolveOptions } from "./resolve-credentials.js";
import { Deadline } from "./deadline.js";
import { explainCredentialError } from "./explain-error.js";
import { terminalAvailable, terminalPaths } from "./mfa-prompt.js";
import { networkSettings, readCaBundle } from "./network.js";
import { resolveSource } from "./resolve-source.js";
import { cliCacheDir } from "./role-cache.js";
import { systemProxyReader } from "../system-proxy.js";

export { DeadlineExceeded } from "./deadline.js";

/**
 * The one network budget of a run (issue 9): every STS, SSO, container and IMDS wait, retries and
 * waiting for another process's cache lock included, fits in it, so git hears back within 10 s
 * (§7) — and a single STS answer that takes up to ~8 s still succeeds.
 */
export const NETWORK_DEADLINE_MS = 9_000;

/**
 * Cache lock timing without MFA: a waiter waits as long as the holder may take (the whole budget),
 * so a crowd of cold gits makes one STS call, then fails with the one line instead of calling STS
 * beside a slow holder (issue 9). A lock older than the budget plus margin has no live holder.
 */
export const SESSION_LOCK: LockTiming = { waitMs: NETWORK_DEADLINE_MS, staleMs: NETWORK_DEADLINE_MS + 2_000, afterWait: "fail" };
/**
 * An MFA session for a process that cannot prompt: waited for within the budget like any other,
 * but after the wait the refresh itself says why this process cannot get the session (the prompt).
 */
const MFA_NO_PROMPT_LOCK: LockTiming = { waitMs: NETWORK_DEADLINE_MS, staleMs: NETWORK_DEADLINE_MS + 2_000, afterWait: "refresh" };
/** With MFA the holder waits on a person at the prompt: waiters who could prompt too wait for it. */
export const MFA_SESSION_LOCK: LockTiming = { waitMs: 120_000, staleMs: 130_000 };
/** A credential_process may wait on a person (aws-vault's MFA prompt), but not forever. */
export const PROCESS_TIMEOUT_MS = 120_000;

/**
 * Fetches the credentials of a checked profile that are not at hand (resolve-credentials.ts looked
 * first), or throws a HelperError that says what to do.
 */
export async function fetchCredentials(options: ResolveOptions, checked: CheckedProfile): Promise<SigningCredentials> {
  const { env, trace } = options;
  const now = options.now ?? (() => new Date());
  const profile = effectiveProfile(options.profile, env);
  // Our code decided the source from our reading of the files (issue 8a); the rest executes it.
  const { config, source } = checked;

  const deadline = new Deadline(NETWORK_DEADLINE_MS);
  // Only here, on the way to the network: the system proxy may take a command (scutil, reg) to read.
  const network = networkSettings(env, { name: profile, caBundle: setting(config?.profiles.get(profile), "ca_bundle") }, systemProxyReader(process.platform));
  let ca: { text: string | undefined } | undefined;
  const canPrompt = options.canPrompt ?? (() => terminalAvailable(env, terminalPaths(process.platform)));
  const cache: SessionCache = {
    dir: cliCacheDir(env),
    now,
    trace,
    // Waiting on another process's MFA prompt makes sense only for a process that could prompt
    // itself; one that cannot fails within the network budget instead (issue 9).
    lockOptions: (mfa) => lockOptionsForThisProcess(!mfa ? SESSION_LOCK : canPrompt() ? MFA_SESSION_LOCK : MFA_NO_PROMPT_LOCK, () => now().getTime()),
    waitingOnPerson: (wait) => (canPrompt() ? deadline.pausedAsync(wait) : wait()),
  };

  let creds: SigningCredentials;
  try {
    creds = await resolveSource(source, {
      env,
      trace,
      deadline,
      network,
      ca: () => (ca ??= { text: readCaBundle(network) }).text,
      now,
      cache,
      profile,
      hostRegion: options.hostRegion,
      files: config ? [config.configFile, config.credentialsFile] : [],
      promptMfa: (serial, name) => {
        const code = deadline.paused(() => options.promptMfa(serial, name));
        trace.secret(code);
        return code;
      },
      processTimeoutMs: PROCESS_TIMEOUT_MS,
    });
  } catch (err) {
    // Sources explain their own network failures; what is left (a lock wait cut by the budget) is STS's.
    throw explainCredentialError(err, { name: "STS", profile, region: options.hostRegion, network, budgetMs: NETWORK_DEADLINE_MS });
  }
  return creds;
}
