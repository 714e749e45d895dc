/**
 * The `roleAssumer` handed to the SDK's fromIni: every hop of a role chain goes through it, and
 * each is cached exactly as the AWS CLI caches it (contract §6).
 *
 * The SDK builds AssumeRole parameters with its own defaults (`RoleSessionName aws-sdk-js-<ms>`,
 * `DurationSeconds 3600` always) and asks for the MFA code before anything else. So this wrapper
 * finds the profile behind each call, keys the cache on what that profile configures, and on a
 * miss calls STS with what the profile says — as the CLI does — prompting for MFA only then.
 */
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import type { SharedConfig, ProfileSettings } from "./config-files.js";
import { cachedSession, type SessionCache } from "./cached-session.js";
import { type AssumeRoleArgs, assumeRoleArgs, type CacheExtras, type CachedCredentials, roleCacheKey } from "./role-cache.js";

/**
 * What our mfaCodeProvider gives the SDK instead of a code, so no one is asked until a cache miss
 * shows a code is needed. The SDK only copies it into `params.TokenCode`.
 */
export const DEFERRED_MFA_CODE = "deferred-until-cache-miss";

/** The AssumeRole parameters the SDK passes a roleAssumer (credential-provider-ini). */
export interface SdkAssumeRoleParams {
  readonly RoleArn: string;
  readonly RoleSessionName: string;
  readonly ExternalId?: string;
  readonly DurationSeconds?: number;
  readonly SerialNumber?: string;
  readonly TokenCode?: string;
}

/** An AssumeRole request as we send it. */
export interface AssumeRoleRequest extends AssumeRoleArgs {
  readonly RoleSessionName: string;
  readonly TokenCode?: string;
}

/** The STS call: the source identity's credentials and a request in, a session out. */
export type AssumeRoleCall = (source: AwsCredentialIdentity, request: AssumeRoleRequest) => Promise<{ credentials: CachedCredentials; extras?: CacheExtras }>;

export interface CachedRoleAssumerDeps {
  readonly cache: SessionCache;
  /** The shared files; undefined when only environment credentials are in play (nothing to match). */
  readonly config: SharedConfig | undefined;
  /** The profile being resolved (the first hop of the chain). */
  readonly profile: string;
  readonly assumeRole: AssumeRoleCall;
  /** Asks the user for a code; the deadline is already paused around it. */
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
}

/** One role hop of a chain: a profile with `role_arn` and its source. */
export interface RoleHop {
  readonly profile: string;
  readonly args: AssumeRoleArgs;
}

/**
 * The role hops reachable from `profile` through `source_profile`, outermost first, following the
 * SDK's rule that a source profile with static keys is used as such even if it also names a role.
 */
export function roleHops(config: SharedConfig, profile: string): RoleHop[] {
  const hops: RoleHop[] = [];
  const seen = new Set<string>();
  let name: string | undefined = profile;
  while (name !== undefined && !seen.has(name)) {
    seen.add(name);
    const settings: ProfileSettings | undefined = config.profiles.get(name);
    if (!settings || !isRoleProfile(settings)) break;
    if (hops.length > 0 && settings.aws_access_key_id && settings.aws_secret_access_key) break;
    hops.push({ profile: name, args: assumeRoleArgs(settings) as AssumeRoleArgs });
    name = settings.source_profile;
  }
  return hops;
}

/** The SDK's isAssumeRoleProfile: `role_arn` with exactly one of `source_profile`, `credential_source`. */
export function isRoleProfile(settings: ProfileSettings): boolean {
  return !!settings.role_arn && (settings.source_profile !== undefined) !== (settings.credential_source !== undefined);
}

/**
 * The hop whose profile produced these SDK parameters (same role, and the SDK's reading of its
 * settings). DurationSeconds is not compared: the SDK sends 3600 whether or not it is configured.
 * A chain that assumes one role twice with different settings matches its first hop.
 */
export function matchHop(hops: readonly RoleHop[], params: SdkAssumeRoleParams): RoleHop | undefined {
  return hops.find(({ args }) => {
    if (args.RoleArn !== params.RoleArn) return false;
    if ((args.ExternalId || undefined) !== (params.ExternalId || undefined)) return false;
    if ((args.SerialNumber || undefined) !== (params.SerialNumber || undefined)) return false;
    const sdkDefaultName = /^aws-sdk-js-\d+$/.test(params.RoleSessionName);
    return args.RoleSessionName !== undefined ? args.RoleSessionName === params.RoleSessionName : sdkDefaultName;
  });
}

/** The request the CLI would send for a hop: its configured arguments, a default session name, the code. */
export function cliRequest(args: AssumeRoleArgs, now: Date, tokenCode: string | undefined): AssumeRoleRequest {
  return {
    ...args,
    // BaseAssumeRoleCredentialFetcher._generate_assume_role_name
    RoleSessionName: args.RoleSessionName ?? `botocore-session-${Math.floor(now.getTime() / 1000)}`,
    ...(args.SerialNumber && tokenCode !== undefined ? { TokenCode: tokenCode } : {}),
  };
}

/** A roleAssumer for fromIni that caches every hop in the AWS CLI's cache. */
export function createCachedRoleAssumer(deps: CachedRoleAssumerDeps): (source: AwsCredentialIdentity, params: SdkAssumeRoleParams) => Promise<AwsCredentialIdentity> {
  const hops = deps.config ? roleHops(deps.config, deps.profile) : [];
  return async (source, params) => {
    const hop = matchHop(hops, params);
    if (!hop) {
      // Not a profile we can read the way the SDK did: assume the role as asked, uncached.
      deps.cache.trace("role hop not found in the config: not cached", { roleArn: params.RoleArn });
      const tokenCode = params.SerialNumber && params.TokenCode === DEFERRED_MFA_CODE ? deps.promptMfa(params.SerialNumber, deps.profile) : params.TokenCode;
      const { TokenCode: _ignored, ...rest } = params;
      const { credentials } = await deps.assumeRole(source, { ...rest, ...(tokenCode !== undefined ? { TokenCode: tokenCode } : {}) });
      return toIdentity(credentials);
    }
    const key = roleCacheKey(hop.args);
    const mfa = !!hop.args.SerialNumber;
    const credentials = await cachedSession(deps.cache, key, { label: `${hop.profile} (${hop.args.RoleArn})`, mfa }, () => {
      const tokenCode = mfa ? deps.promptMfa(hop.args.SerialNumber as string, hop.profile) : undefined;
      return deps.assumeRole(source, cliRequest(hop.args, deps.cache.now(), tokenCode));
    });
    return toIdentity(credentials);
  };
}

/** Cached credentials as the SDK's credential identity. */
export function toIdentity(creds: CachedCredentials): AwsCredentialIdentity {
  return {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
    expiration: creds.expiration,
    ...(creds.accountId ? { accountId: creds.accountId } : {}),
  };
}
