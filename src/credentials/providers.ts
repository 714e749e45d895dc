/**
 * Which @aws-sdk/credential-providers provider resolves the credentials, with which options
 * (contract §6): `fromIni` for `--profile`, the node provider chain otherwise; STS in the profile's
 * region or else the CodeCommit host's; MFA codes from the terminal; every network wait bounded.
 */
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { SigningCredentials } from "../password.js";
import { sdkLogger, type Tracer } from "../trace.js";
import { loadSharedConfig, type SharedConfig } from "./config-files.js";
import { explainCredentialError } from "./explain-error.js";

/** Everything an STS, SSO, IMDS or container call may take, in all, before we give up (§7: < 10 s). */
export const NETWORK_DEADLINE_MS = 8_000;

export interface ResolveOptions {
  /** `--profile`; undefined means the default chain (which itself honours AWS_PROFILE). */
  readonly profile: string | undefined;
  /** The CodeCommit host's region: where STS is called unless the profile names a region. */
  readonly hostRegion: string;
  readonly env: Env;
  readonly trace: Tracer;
  /** Asks the user for an MFA code (on the terminal). */
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
}

/** The profile the SDK will use: --profile, else AWS_PROFILE, else "default". */
export function effectiveProfile(profile: string | undefined, env: Env): string {
  return profile ?? env[ENV.profile] ?? "default";
}

/** Whether the default chain will stop at environment credentials, which needs no file at all. */
function envCredentialsOnly(profile: string | undefined, env: Env): boolean {
  return profile === undefined && env[ENV.profile] === undefined && !!env.AWS_ACCESS_KEY_ID && !!env.AWS_SECRET_ACCESS_KEY;
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
  const profileName = effectiveProfile(profile, env);
  const stsRegion = config?.profiles.get(profileName)?.region || options.hostRegion;
  trace("resolving credentials", { profile: profile ?? "(default chain)", stsRegion });

  const deadline = new Deadline(NETWORK_DEADLINE_MS);
  const logger = sdkLogger(trace);
  const init = {
    profile,
    logger,
    mfaCodeProvider: async (serial: string) => {
      const code = deadline.paused(() => options.promptMfa(serial, profileName));
      trace.secret(code);
      return code;
    },
    // Nested STS/SSO clients: bounded waits, few retries, so a dead endpoint fails well within 10 s.
    clientConfig: {
      requestHandler: { connectionTimeout: 2_500, requestTimeout: 3_500, throwOnRequestTimeout: true },
      maxAttempts: 2,
      logger,
    },
    // The profile's own `region` still wins inside fromIni for role profiles (SDK behaviour).
    parentClientConfig: { region: stsRegion },
    timeout: 2_000,
    maxRetries: 0,
  };
  const provider = profile !== undefined ? fromIni(init) : fromNodeProviderChain(init);
  let creds: AwsCredentialIdentity;
  try {
    creds = await deadline.race(provider());
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

  private start(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reject?.(new DeadlineExceeded(`no answer within ${this.ms / 1000} s`)), this.ms);
  }
}
