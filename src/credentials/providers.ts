/**
 * Credential resolution for one run (contract §6): the source is decided from our reading of the
 * shared files (never the SDK's), then executed by resolve-source.ts within one network budget,
 * with the network settings the AWS CLI would use, role and SSO sessions shared with the AWS CLI
 * through its cache, and MFA codes asked on the terminal only on a cache miss.
 */
import type { CredentialSource } from "../aws-config/credential-source.js";
import { credentialSourceFor } from "../aws-config/credential-source-for.js";
import { setting } from "../aws-config/ini.js";
import { selectProfile } from "../aws-config/profile-name.js";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { SigningCredentials } from "../password.js";
import type { Tracer } from "../trace.js";
import { lockOptionsForThisProcess, type LockTiming } from "./cache-lock.js";
import type { SessionCache } from "./cached-session.js";
import { loadSharedConfig, type SharedConfig } from "./config-files.js";
import { Deadline } from "./deadline.js";
import { explainCredentialError } from "./explain-error.js";
import { terminalAvailable, terminalPaths } from "./mfa-prompt.js";
import { networkSettings, readCaBundle } from "./network.js";
import { resolveSource } from "./resolve-source.js";
import { cliCacheDir } from "./role-cache.js";

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

/** The profile botocore selects (src/aws-config/profile-name.ts): --profile, the environment, else "default". */
export function effectiveProfile(profile: string | undefined, env: Env): string {
  return selectProfile(profile, env).profile;
}

/**
 * Whether environment credentials answer without reading any file: no profile named anywhere
 * (a named one must exist, as the AWS CLI checks first) and both keys set.
 */
function environmentAnswers(profile: string | undefined, env: Env): boolean {
  return selectProfile(profile, env).named === undefined && !!env[ENV.accessKeyId] && !!env[ENV.secretAccessKey];
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

/** Resolves credentials, or throws a HelperError that says what to do. */
export async function resolveCredentials(options: ResolveOptions, checked: CheckedProfile): Promise<SigningCredentials> {
  const { env, trace } = options;
  const now = options.now ?? (() => new Date());
  const profile = effectiveProfile(options.profile, env);
  // Our code decided the source from our reading of the files (issue 8a); the rest executes it.
  const { config, source } = checked;
  trace("credential source", { profile: options.profile ?? `${profile} (default chain)`, source: source.kind });

  const deadline = new Deadline(NETWORK_DEADLINE_MS);
  const network = networkSettings(env, { name: profile, caBundle: setting(config?.profiles.get(profile), "ca_bundle") });
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
  trace.secret(creds.secretAccessKey);
  trace.secret(creds.sessionToken);
  trace("resolved credentials", { accessKeyId: creds.accessKeyId, expiration: creds.expiration, sessionToken: creds.sessionToken });
  return creds;
}
