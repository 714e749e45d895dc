/**
 * Which entry of the AWS CLI's role cache holds a source's session: its file name (the key the CLI
 * derives from the request) and the label traces name it by. One rule for both readers: at-hand.ts
 * looks the entry up on the warm path, and sources/{assume-role,web-identity,sso}.ts look it up
 * first and write it after a fetch, so a session one caches is the session the other finds.
 * Light on purpose (key derivation only): the warm path loads it.
 */
import type { AssumeRoleSource, SsoSource, WebIdentitySource } from "../aws-config/credential-source.js";
import { roleArgs, roleSessionLabel, webIdentityArgs, webIdentitySessionLabel } from "../session-cache/assume-role-request.js";
import { roleCacheKey, ssoCacheKey } from "../session-cache/key.js";
import { ssoRoleArgs, ssoSessionLabel } from "../session-cache/sso-session-args.js";

export interface SessionEntry {
  /** The cache file's name without `.json`. */
  readonly key: string;
  /** The session in words, for traces. */
  readonly label: string;
}

/** The entry of an assumed role's session (awscli's AssumeRoleProvider cache). */
export function roleSessionEntry(source: AssumeRoleSource): SessionEntry {
  return { key: roleCacheKey(roleArgs(source)), label: roleSessionLabel(source) };
}

/** The entry of a web identity session (awscli's AssumeRoleWithWebIdentityProvider cache). */
export function webIdentitySessionEntry(source: WebIdentitySource): SessionEntry {
  return { key: roleCacheKey(webIdentityArgs(source)), label: webIdentitySessionLabel(source) };
}

/** The entry of an SSO role session (the AWS CLI v2's SSOProvider cache); `source` has every SSO setting. */
export function ssoSessionEntry(source: SsoSource): SessionEntry {
  return { key: ssoCacheKey(ssoRoleArgs(source)), label: ssoSessionLabel(source) };
}
