/**
 * How an SSO role session is known, from the decided source: the arguments the CLI v2 hashes into
 * its cache key, the label debug lines give it, and the settings it cannot do without. One
 * definition for sso-source.ts and the at-hand path, so both look up the same entry.
 */
import type { SsoSource } from "../aws-config/credential-source.js";
import type { SsoRoleArgs } from "./key.js";

/** The cache key's arguments: the sso_session name, or for a legacy profile its start URL. */
export function ssoRoleArgs(source: SsoSource): SsoRoleArgs {
  return source.sessionName
    ? { accountId: source.accountId, roleName: source.roleName, sessionName: source.sessionName }
    : { accountId: source.accountId, roleName: source.roleName, startUrl: source.startUrl };
}

/** How an SSO role session is named in debug lines: the profile, its account and its role. */
export function ssoSessionLabel(source: SsoSource): string {
  return `${source.profile} (SSO ${source.accountId}/${source.roleName})`;
}

/** The settings the profile lacks for a role session, by their names in the config file. */
export function missingSsoSettings(source: SsoSource): string[] {
  const missing: string[] = [];
  if (!source.accountId) missing.push("sso_account_id");
  if (!source.roleName) missing.push("sso_role_name");
  return missing;
}
