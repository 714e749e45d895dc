/**
 * A profile's IAM Identity Center settings, as the AWS CLI reads them: `sso_session` naming an
 * `[sso-session NAME]` section of the config file (start URL, region, registration scopes), or the
 * legacy `sso_start_url` and `sso_region` in the profile itself (awscli `BaseSSOCommand._get_sso_config`).
 */
import type { SharedConfig } from "../aws-config/shared-config.js";
import { HelperError } from "../errors.js";

/** The start URL, region and session of a profile, for `login` (account and role are not needed). */
export interface SsoProfile {
  readonly profile: string;
  readonly startUrl: string;
  readonly ssoRegion: string;
  readonly sessionName?: string;
  readonly registrationScopes?: string;
}

/** The SSO settings of `profile`; throws a HelperError naming what is missing. */
export function ssoProfile(profile: string, config: SharedConfig): SsoProfile {
  const settings = config.profiles.get(profile);
  if (!settings) {
    const known = [...config.profiles.keys()].sort();
    throw new HelperError(
      "unknown-profile",
      `the AWS profile "${profile}" is not in ${config.configFile} or ${config.credentialsFile}`,
      known.length > 0
        ? `Known profiles: ${known.join(", ")}`
        : `Configure it with "aws configure sso --profile ${profile}" or by hand (see the README's SSO section)`,
    );
  }
  const sessionName = settings.sso_session;
  if (sessionName !== undefined) {
    // The section as the one reading of the files found it (botocore splits the header as shlex does).
    const section = config.ssoSessions?.get(sessionName);
    if (!section) {
      throw new HelperError(
        "unknown-profile",
        `profile ${profile} names sso_session "${sessionName}", but ${config.configFile} has no [sso-session ${sessionName}] section`,
        `Add that section with sso_start_url and sso_region`,
      );
    }
    const missing = ["sso_start_url", "sso_region"].filter((k) => !section[k]);
    if (missing.length > 0) {
      throw new HelperError(
        "unknown-profile",
        `[sso-session ${sessionName}] in ${config.configFile} lacks ${missing.join(" and ")}`,
        `Add ${missing.join(" and ")} to that section`,
      );
    }
    return {
      profile,
      startUrl: section.sso_start_url as string,
      ssoRegion: section.sso_region as string,
      sessionName,
      ...(section.sso_registration_scopes !== undefined ? { registrationScopes: section.sso_registration_scopes } : {}),
    };
  }
  if (settings.sso_start_url && settings.sso_region) {
    return { profile, startUrl: settings.sso_start_url, ssoRegion: settings.sso_region };
  }
  throw new HelperError(
    "unknown-profile",
    `profile ${profile} is not configured for IAM Identity Center (SSO): it has neither sso_session nor sso_start_url and sso_region`,
    `Configure it with "aws configure sso --profile ${profile}" or by hand (see the README's SSO section)`,
  );
}
