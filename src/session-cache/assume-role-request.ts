/**
 * The AssumeRole request the AWS CLI sends for a role profile: what the profile configures, a
 * default session name, and the MFA code only when the profile names an MFA device.
 */
import type { AssumeRoleSource, WebIdentitySource } from "../aws-config/credential-source.js";
import type { AssumeRoleArgs } from "./key.js";

/** An AssumeRole request as we send it. */
export interface AssumeRoleRequest extends AssumeRoleArgs {
  readonly RoleSessionName: string;
  readonly TokenCode?: string;
}

/** The request the CLI would send for a hop: its configured arguments, a default session name, the code. */
export function cliRequest(args: AssumeRoleArgs, now: Date, tokenCode: string | undefined): AssumeRoleRequest {
  return {
    ...args,
    // botocore BaseAssumeRoleCredentialFetcher._generate_assume_role_name
    RoleSessionName: args.RoleSessionName ?? `botocore-session-${Math.floor(now.getTime() / 1000)}`,
    ...(args.SerialNumber && tokenCode !== undefined ? { TokenCode: tokenCode } : {}),
  };
}

/** How a role session is named in debug lines: the profile and its role. */
export function roleSessionLabel(source: AssumeRoleSource): string {
  return `${source.profile} (${source.roleArn})`;
}

/** The AssumeRole arguments botocore hashes into the cache key, from the decided source. */
export function roleArgs(source: AssumeRoleSource): AssumeRoleArgs {
  return {
    RoleArn: source.roleArn,
    ...(source.externalId !== undefined ? { ExternalId: source.externalId } : {}),
    ...(source.roleSessionName !== undefined ? { RoleSessionName: source.roleSessionName } : {}),
    ...(source.mfaSerial !== undefined ? { SerialNumber: source.mfaSerial } : {}),
    ...(source.durationSeconds !== undefined ? { DurationSeconds: source.durationSeconds } : {}),
  };
}

/**
 * What botocore hashes into the cache key of a web identity session: the role and a configured
 * session name (AssumeRoleWithWebIdentityProvider passes no other argument), so the key is the one
 * an assume-role profile of the same role without settings has, as in the AWS CLI.
 */
export function webIdentityArgs(source: WebIdentitySource): AssumeRoleArgs {
  return { RoleArn: source.roleArn, ...(source.roleSessionName !== undefined ? { RoleSessionName: source.roleSessionName } : {}) };
}

/** How a web identity session is named in debug lines. */
export function webIdentitySessionLabel(source: WebIdentitySource): string {
  return `${source.profile ?? "environment"} (web identity ${source.roleArn})`;
}
