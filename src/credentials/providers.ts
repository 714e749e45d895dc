/**
 * Credential resolution for one run (contract §6): the source is decided from our reading of the
 * shared files (never the SDK's), then executed by resolve-source.ts within one network budget,
 * with the network settings the AWS CLI would use, role and SSO sessions shared with the AWS CLI
 * through its cache, and MFA codes asked on the terminal only on a cache miss.
 */
import { readFileSync } from "node:fs";
import { platform } from "node:os";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { SigningCredentials } from "../password.js";
import type { Tracer } from "../trace.js";
import { lockOptionsForThisProcess, type LockTiming } from "./cache-lock.js";
import type { SessionCache } from "./cached-session.js";
import { loadSharedConfig, parseIni, type SharedConfig } from "./config-files.js";
import { Deadline } from "./deadline.js";
import { explainCredentialError } from "./explain-error.js";
import { environmentSource, interimCredentialSource } from "./interim-source.js";
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
 * so a crowd of cold gits makes one STS call; the budget then ends the wait with the one line. A
 * lock older than the budget plus margin has no live holder.
 */
export const SESSION_LOCK: LockTiming = { waitMs: NETWORK_DEADLINE_MS, staleMs: NETWORK_DEADLINE_MS + 2_000 };
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

/** The profile botocore selects: --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default". */
export function effectiveProfile(profile: string | undefined, env: Env): string {
  return profile ?? env[ENV.profile] ?? env[ENV.defaultProfile] ?? "default";
}

/**
 * Loads the shared files unless environment credentials answer without them (botocore: without
 * --profile the environment comes first), refusing a malformed file and an unknown profile up front.
 */
export function checkProfile(profile: string | undefined, env: Env): SharedConfig | undefined {
  if (profile === undefined && environmentSource(env)) return undefined;
  const config = loadSharedConfig(env);
  const name = profile ?? env[ENV.profile] ?? env[ENV.defaultProfile];
  if (name !== undefined && !config.profiles.has(name)) {
    const known = [...config.profiles.keys()].sort();
    if (configSectionNames(config.configFile).includes(name)) {
      throw new HelperError(
        "unknown-profile",
        `the AWS profile "${name}" is not in ${config.configFile} or ${config.credentialsFile}: the config file has a section [${name}], which the AWS CLI does not read as a profile`,
        `Rename it to [profile ${name}] (only the credentials file names profiles without "profile ")`,
      );
    }
    throw new HelperError(
      "unknown-profile",
      `the AWS profile "${name}" is not in ${config.configFile} or ${config.credentialsFile}`,
      known.length > 0 ? `Known profiles: ${known.join(", ")}` : `No profiles are configured; run "aws configure --profile ${name}"`,
    );
  }
  return config;
}

/** The raw section names of the config file (only read on the unknown-profile path). */
function configSectionNames(configFile: string): string[] {
  try {
    return [...parseIni(readFileSync(configFile, "utf8"), configFile).keys()];
  } catch {
    return [];
  }
}

/** Resolves credentials, or throws a HelperError that says what to do. */
export async function resolveCredentials(options: ResolveOptions, config: SharedConfig | undefined): Promise<SigningCredentials> {
  const { env, trace } = options;
  const now = options.now ?? (() => new Date());
  const profile = effectiveProfile(options.profile, env);
  // INTERIM: replaced by issue 8a's decision function at merge (see interim-source.ts).
  const source = interimCredentialSource(options.profile, env, config);
  trace("credential source", { profile: options.profile ?? `${profile} (default chain)`, source: source.kind });

  const deadline = new Deadline(NETWORK_DEADLINE_MS);
  const network = networkSettings(env, { name: profile, caBundle: config?.profiles.get(profile)?.ca_bundle });
  let ca: { text: string | undefined } | undefined;
  const canPrompt = options.canPrompt ?? (() => terminalAvailable(env, terminalPaths(platform())));
  const cache: SessionCache = {
    dir: cliCacheDir(env),
    now,
    trace,
    // Waiting on another process's MFA prompt makes sense only for a process that could prompt
    // itself; one that cannot fails within the network budget instead (issue 9).
    lockOptions: (mfa) => lockOptionsForThisProcess(mfa && canPrompt() ? MFA_SESSION_LOCK : SESSION_LOCK, () => now().getTime()),
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
