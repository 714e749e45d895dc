/**
 * Which @aws-sdk/credential-providers provider resolves the credentials, with which options
 * (contract §6): `fromIni` for `--profile`, the node provider chain otherwise; STS in the profile's
 * region or else the CodeCommit host's; MFA codes from the terminal; every network wait bounded;
 * role and SSO sessions shared with the AWS CLI through its cache.
 */
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { SigningCredentials } from "../password.js";
import { loginSessionCredentials } from "../sso/login-session.js";
import { ssoRoleCredentials } from "../sso/role-credentials.js";
import { ssoSource } from "../sso/sso-profile.js";
import { sdkLogger, type Tracer } from "../trace.js";
import { lockOptionsForThisProcess, type LockTiming } from "./cache-lock.js";
import { type AssumeRoleCall, createCachedRoleAssumer, DEFERRED_MFA_CODE, isRoleProfile, toIdentity } from "./cached-role-assumer.js";
import { cachedSession, type SessionCache } from "./cached-session.js";
import { loadSharedConfig, type ProfileSettings, type SharedConfig } from "./config-files.js";
import { explainCredentialError } from "./explain-error.js";
import { assumeRoleArgs, cliCacheDir, readFreshEntry, roleCacheKey, ssoCacheKey, ssoRoleArgs, type SsoRoleArgs } from "./role-cache.js";

/** Everything an STS, SSO, IMDS or container call may take, in all, before we give up (§7: < 10 s). */
export const NETWORK_DEADLINE_MS = 8_000;

/**
 * Cache lock timing without MFA. A holder lives at most the network deadline, so a lock older
 * than that plus margin is abandoned. A waiter waits as long as the holder may take (its own
 * deadline, started no later than the holder's, ends the wait first) and never calls STS beside
 * a slow holder: 50 gits against a slow STS still make one call (issue 9).
 */
const SESSION_LOCK: LockTiming = { waitMs: NETWORK_DEADLINE_MS, staleMs: NETWORK_DEADLINE_MS + 2_000, afterWait: "fail" };
/** With MFA the holder waits on a person at the prompt: waiters wait for it rather than prompt too. */
const MFA_SESSION_LOCK: LockTiming = { waitMs: 120_000, staleMs: 130_000 };

export interface ResolveOptions {
  /** `--profile`; undefined means the default chain (which itself honours AWS_PROFILE). */
  readonly profile: string | undefined;
  /** The CodeCommit host's region: where STS is called unless the profile names a region. */
  readonly hostRegion: string;
  readonly env: Env;
  readonly trace: Tracer;
  /** Asks the user for an MFA code (on the terminal). */
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
  /** The clock for cache freshness and session names; the real one when absent. */
  readonly now?: () => Date;
}

/** The profile the SDK will use: --profile, else AWS_PROFILE, else "default". */
export function effectiveProfile(profile: string | undefined, env: Env): string {
  return profile ?? env[ENV.profile] ?? "default";
}

/** Whether the default chain will stop at environment credentials, which needs no file at all. */
function envCredentialsOnly(profile: string | undefined, env: Env): boolean {
  return profile === undefined && env[ENV.profile] === undefined && !!env[ENV.accessKeyId] && !!env[ENV.secretAccessKey];
}

/**
 * Loads the shared files when the SDK will read them, refusing a malformed file and an unknown
 * profile up front: the SDK would skip bad lines silently and, in the chain, fall through to other
 * sources and fail later with a vaguer message.
 */
export function checkProfile(profile: string | undefined, env: Env): SharedConfig | undefined {
  if (envCredentialsOnly(profile, env)) return undefined;
  const config = loadSharedConfig(env);
  const name = profile ?? env[ENV.profile];
  if (name !== undefined && !config.profiles.has(name)) {
    const known = [...config.profiles.keys()].sort();
    throw new HelperError(
      "unknown-profile",
      `the AWS profile "${name}" is not in ${config.configFile} or ${config.credentialsFile}`,
      known.length > 0 ? `Known profiles: ${known.join(", ")}` : `No profiles are configured; run "aws configure --profile ${name}"`,
    );
  }
  return config;
}

/** Resolves credentials, or throws a HelperError that says what to do. */
export async function resolveCredentials(options: ResolveOptions, config: SharedConfig | undefined): Promise<SigningCredentials> {
  const { profile, env, trace } = options;
  const now = options.now ?? (() => new Date());
  const profileName = effectiveProfile(profile, env);
  const settings = config?.profiles.get(profileName);
  const stsRegion = settings?.region || options.hostRegion;
  trace("resolving credentials", { profile: profile ?? "(default chain)", stsRegion });

  const deadline = new Deadline(NETWORK_DEADLINE_MS);
  const cache: SessionCache = {
    dir: cliCacheDir(env),
    now,
    trace,
    lockOptions: (mfa) => lockOptionsForThisProcess(mfa ? MFA_SESSION_LOCK : SESSION_LOCK, () => now().getTime()),
    waitingOnPerson: (wait) => deadline.pausedAsync(wait),
  };
  const promptMfa = (serial: string, name: string): string => {
    const code = deadline.paused(() => options.promptMfa(serial, name));
    trace.secret(code);
    return code;
  };
  const logger = sdkLogger(trace);
  // Nested STS/SSO clients: bounded waits, few retries, so a dead endpoint fails well within 10 s.
  const clientConfig = {
    requestHandler: { connectionTimeout: 2_500, requestTimeout: NETWORK_DEADLINE_MS - 500, throwOnRequestTimeout: true },
    maxAttempts: 2,
    logger,
  };

  /** The SDK's resolution (fromIni for --profile, else the node chain), with every role hop cached. */
  const sdkProvider = async (): Promise<AwsCredentialIdentity> => {
    const { fromIni, fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
    const init = {
      profile,
      logger,
      // The SDK asks for the code before it knows whether a cached session makes it unnecessary;
      // the cached roleAssumer asks the user itself, only on a cache miss.
      mfaCodeProvider: async () => DEFERRED_MFA_CODE,
      roleAssumer: createCachedRoleAssumer({ cache, config, profile: profileName, assumeRole: stsAssumeRole(clientConfig, stsRegion), promptMfa }),
      clientConfig,
      // For the SDK's own nested clients (SSO, web identity); AssumeRole goes to stsRegion below,
      // the region fromIni would have given its default roleAssumer.
      parentClientConfig: { region: stsRegion },
      timeout: 2_000,
      maxRetries: 0,
    };
    return (profile !== undefined ? fromIni(init) : fromNodeProviderChain(init))();
  };

  let creds: AwsCredentialIdentity;
  try {
    const sso = settings && ssoOnlyProfile(settings);
    if (settings && isRoleProfile(settings)) {
      // A warm cache answers without loading the SDK or resolving the source identity, as lazily
      // as the AWS CLI (a cold one goes through the SDK, whose roleAssumer then caches each hop).
      const hit = readFreshEntry(cache.dir, roleCacheKey(assumeRoleArgs(settings)!), now());
      if (hit) trace("role cache hit", { session: `${profileName} (${settings.role_arn})`, expiration: hit.expiration });
      creds = hit ? toIdentity(hit) : await deadline.race(sdkProvider());
    } else if (sso) {
      // Our own token reading (and refresh) of ~/.aws/sso/cache, then GetRoleCredentials (issue 12).
      const ssoCall = () => ssoRoleCredentials(ssoSource(profileName, settings, env, config), { env, now, trace, clientConfig });
      creds = toIdentity(await deadline.race(cachedSsoSession(cache, profileName, sso, ssoCall)));
    } else if (settings?.login_session && !settings.role_arn && !(settings.aws_access_key_id && settings.aws_secret_access_key)) {
      // `aws login` sessions from the AWS CLI's login cache; botocore tries them after the credentials file's keys (issue 12).
      creds = await deadline.race(loginSessionCredentials({ profile: profileName, loginSession: settings.login_session, region: settings.region }, { env, now, trace, clientConfig }));
    } else {
      creds = await deadline.race(sdkProvider());
    }
  } catch (err) {
    throw explainCredentialError(err, { profile: profileName, stsRegion, env, config });
  }
  trace.secret(creds.secretAccessKey);
  trace.secret(creds.sessionToken);
  trace("resolved credentials", { accessKeyId: creds.accessKeyId, expiration: creds.expiration, sessionToken: creds.sessionToken });
  return {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    ...(creds.sessionToken ? { sessionToken: creds.sessionToken } : {}),
    ...(creds.expiration ? { expiration: creds.expiration } : {}),
  };
}

/**
 * The SSO account and role of a profile the SDK will resolve through SSO: one that is none of the
 * kinds fromIni tries first (role, static keys, web identity, credential_process).
 */
function ssoOnlyProfile(s: ProfileSettings): SsoRoleArgs | undefined {
  if (isRoleProfile(s) || (s.aws_access_key_id && s.aws_secret_access_key) || (s.web_identity_token_file && s.role_arn) || s.credential_process) {
    return undefined;
  }
  return ssoRoleArgs(s);
}

/** SSO role credentials through the CLI v2's cache; the SDK's fromSSO makes the GetRoleCredentials call. */
function cachedSsoSession(cache: SessionCache, profile: string, args: SsoRoleArgs, resolve: () => Promise<AwsCredentialIdentity>) {
  return cachedSession(cache, ssoCacheKey(args), { label: `${profile} (SSO ${args.accountId}/${args.roleName})`, mfa: false }, async () => {
    const c = await resolve();
    if (!c.sessionToken || !c.expiration) throw new Error("SSO returned credentials without a session token or expiry");
    return {
      credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration, accountId: args.accountId },
      extras: { providerType: "sso" },
    };
  });
}

/**
 * The real AssumeRole call: the SDK's own STS client, configured as fromIni configures its default
 * roleAssumer (same client options, the STS region chosen above). Called directly rather than via
 * getDefaultRoleAssumer because the cache records the whole response (AssumedRoleUser, RequestId).
 */
function stsAssumeRole(clientConfig: object, region: string): AssumeRoleCall {
  return async (source, request) => {
    const { STSClient, AssumeRoleCommand } = await import("@aws-sdk/nested-clients/sts");
    const client = new STSClient({ ...clientConfig, region, credentials: source });
    try {
      const { Credentials: c, AssumedRoleUser: user, $metadata } = await client.send(new AssumeRoleCommand(request));
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error(`Invalid response from STS.assumeRole call with role ${request.RoleArn}`);
      }
      const accountId = user?.Arn?.split(":")[4];
      return {
        credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration, ...(accountId ? { accountId } : {}) },
        extras: {
          ...(user ? { assumedRoleUser: { AssumedRoleId: user.AssumedRoleId, Arn: user.Arn } } : {}),
          ...($metadata.requestId ? { requestId: $metadata.requestId } : {}),
        },
      };
    } finally {
      client.destroy();
    }
  };
}

/** Thrown by Deadline.race when time runs out. */
export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
}

/** A timer for the network part only: time spent waiting on the user at an MFA prompt doesn't count. */
class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private reject: ((err: Error) => void) | undefined;

  constructor(private readonly ms: number) {}

  race<T>(work: Promise<T>): Promise<T> {
    const expired = new Promise<never>((_, reject) => {
      this.reject = reject;
      this.start();
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(this.timer));
  }

  paused<T>(fn: () => T): T {
    clearTimeout(this.timer);
    try {
      return fn();
    } finally {
      this.start();
    }
  }

  /** As {@link paused}, for waiting on another process's MFA prompt. */
  async pausedAsync<T>(fn: () => Promise<T>): Promise<T> {
    clearTimeout(this.timer);
    try {
      return await fn();
    } finally {
      this.start();
    }
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reject?.(new DeadlineExceeded(`no answer within ${this.ms / 1000} s`)), this.ms);
  }
}
