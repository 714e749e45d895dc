/**
 * Credentials that must be fetched, for one run: the source decided from our reading
 * of the shared files (never the SDK's) is executed by resolve-source.ts within one network budget,
 * with the network settings the AWS CLI would use, role and SSO sessions shared with the AWS CLI
 * through its cache, and MFA codes asked on the terminal only on a cache miss.
 */
import { setting } from "../aws-config/ini.js";
import type { SigningCredentials } from "../password.js";
import {
  LOCK_CLOCK_SKEW_MS,
  LOCK_POLL_GROWTH,
  LOCK_POLL_MAX_MS,
  LOCK_POLL_MS,
  LOCK_STALE_MS,
  LOCK_UNJUDGED_WAIT_MS,
  LOCK_WAIT_MS,
  MFA_LOCK_STALE_MS,
  MFA_LOCK_UNJUDGED_WAIT_MS,
  MFA_LOCK_WAIT_MS,
  CREDENTIAL_PROCESS_TIMEOUT_MS,
  RUN_BUDGET_MS,
} from "../aws-client/limits.js";
import { lockOptionsForThisProcess, type LockTiming } from "../session-cache/lock.js";
import type { SessionCache } from "../session-cache/cached-session.js";
import type { CheckedProfile } from "./check-profile.js";
import type { ResolveOptions } from "./resolve-options.js";
import { Deadline } from "../aws-client/deadline.js";
import { explainCredentialError } from "../aws-client/explain-error.js";
import { promptAvailable, promptMfaCode } from "./mfa-prompt.js";
import { clientContext } from "../aws-client/aws-client-config.js";
import { resolveSource } from "./resolve-source.js";
import { cliCacheDir } from "../session-cache/key.js";

/** What every lock of a run shares: how often a waiter looks, and how far ahead a lock may be dated. */
const LOCK_TIMING = {
  pollMs: LOCK_POLL_MS,
  pollGrowth: LOCK_POLL_GROWTH,
  pollMaxMs: LOCK_POLL_MAX_MS,
  skewMs: LOCK_CLOCK_SKEW_MS,
} as const;
/** The one network budget of a run (its reason beside it in src/aws-client/limits.ts). */
const NETWORK_DEADLINE_MS = RUN_BUDGET_MS;

/**
 * Cache lock timing without MFA: a crowd of cold gits makes one STS call; a live holder is waited
 * on for the whole budget, then the waiter fails with the one line instead of calling STS beside a
 * slow holder; a holder that cannot be judged is taken over after a bounded share of it.
 */
const SESSION_LOCK: LockTiming = {
  ...LOCK_TIMING,
  waitMs: LOCK_WAIT_MS,
  unjudgedWaitMs: LOCK_UNJUDGED_WAIT_MS,
  staleMs: LOCK_STALE_MS,
  afterWait: "fail",
};
/**
 * An MFA session for a process that cannot prompt: waited for within the budget like any other,
 * but after the wait the refresh itself says why this process cannot get the session (the prompt).
 */
const MFA_NO_PROMPT_LOCK: LockTiming = { ...SESSION_LOCK, afterWait: "refresh" };
/** With MFA the holder waits on a person at the prompt: waiters who could prompt too wait for it. */
const MFA_SESSION_LOCK: LockTiming = {
  ...LOCK_TIMING,
  waitMs: MFA_LOCK_WAIT_MS,
  unjudgedWaitMs: MFA_LOCK_UNJUDGED_WAIT_MS,
  staleMs: MFA_LOCK_STALE_MS,
};

/**
 * Fetches the credentials of a checked profile that are not at hand (resolve-credentials.ts looked
 * first), or throws a HelperError that says what to do.
 */
export async function fetchCredentials(options: ResolveOptions, checked: CheckedProfile): Promise<SigningCredentials> {
  const { env, trace } = options;
  const now = options.now ?? (() => new Date());
  // Our code decided the source from our reading of the files, never the SDK's, so both agree with botocore; the rest executes it.
  const { profile, config, source } = checked;

  const deadline = new Deadline(NETWORK_DEADLINE_MS);
  const client = clientContext(env, trace, { name: profile, caBundle: setting(config?.profiles.get(profile), "ca_bundle") }, deadline);
  const { network } = client;
  // Asked once: finding core.askPass runs git.
  let promptable: boolean | undefined;
  const canPrompt = options.canPrompt ?? (() => (promptable ??= promptAvailable(env, process.platform)));
  // The prompt's code (askpass, terminal) is loaded with this module, on a miss only: never on the warm path.
  const promptMfa = options.promptMfa ?? ((serial: string, name: string) => promptMfaCode(serial, name, env, process.platform));
  const cache: SessionCache = {
    dir: cliCacheDir(env),
    now,
    trace,
    // Waiting on another process's MFA prompt makes sense only for a process that could prompt
    // itself; one that cannot fails within the network budget instead, rather than hang git.
    lockOptions: (mfa) =>
      lockOptionsForThisProcess(!mfa ? SESSION_LOCK : canPrompt() ? MFA_SESSION_LOCK : MFA_NO_PROMPT_LOCK, () => now().getTime()),
    waitingOnPerson: (wait) => (canPrompt() ? deadline.pausedAsync(wait) : wait()),
  };

  let creds: SigningCredentials;
  try {
    creds = await resolveSource(source, {
      ...client,
      deadline,
      now,
      cache,
      profile,
      hostRegion: options.hostRegion,
      endpoints: { env, profile: config?.profiles.get(profile), services: config?.services },
      files: config ? [config.configFile, config.credentialsFile] : [],
      promptMfa: (serial, name) => {
        const code = deadline.paused(() => promptMfa(serial, name));
        trace.secret(code);
        return code;
      },
      processTimeoutMs: CREDENTIAL_PROCESS_TIMEOUT_MS,
    });
  } catch (err) {
    // Sources explain their own network failures; what is left (a lock wait cut by the budget) is STS's.
    throw explainCredentialError(err, { name: "STS", profile, region: options.hostRegion, network, budgetMs: NETWORK_DEADLINE_MS });
  }
  return creds;
}
