/**
 * What identifies an IAM Identity Center (SSO) sign-in: the start URL and region, and the
 * `[sso-session NAME]` it is configured in (absent for a legacy profile with `sso_start_url`).
 */
import type { SsoSource } from "../aws-config/credential-source.js";

export interface SsoSession {
  readonly startUrl: string;
  /** `sso_region`: where the OIDC and SSO portal endpoints are. */
  readonly region: string;
  /** The `sso_session` name; undefined for a legacy profile (device flow only, no refresh). */
  readonly sessionName?: string;
  /** `sso_registration_scopes` parsed; undefined when not configured. */
  readonly registrationScopes?: readonly string[];
}

/** The session of an SSO credential source (from the reader in src/aws-config/). */
export function sessionOf(source: Pick<SsoSource, "startUrl" | "ssoRegion" | "sessionName" | "registrationScopes">): SsoSession {
  return {
    startUrl: source.startUrl,
    region: source.ssoRegion,
    ...(source.sessionName !== undefined ? { sessionName: source.sessionName } : {}),
    ...(source.registrationScopes !== undefined ? { registrationScopes: parseRegistrationScopes(source.registrationScopes) } : {}),
  };
}

/** `sso_registration_scopes` as the AWS CLI splits it: on commas, trimmed, empties dropped. */
export function parseRegistrationScopes(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
