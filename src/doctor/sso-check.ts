/**
 * doctor's line for a profile whose credentials come from IAM Identity Center
 * (README, "SSO (IAM Identity Center)"): how long the cached SSO sign-in lasts, read from
 * ~/.aws/sso/cache without refreshing or calling anything. `get` renews an access token with its
 * refresh token (an `sso_session` profile with a live client registration, as botocore does), so an
 * expired token is a failure only when that is not possible.
 */
import type { SsoSource } from "../aws-config/credential-source.js";
import type { Env } from "../env.js";
import { shellQuote } from "../git/helper-line.js";
import { sessionOf } from "../sso/session.js";
import { REFRESH_WINDOW_MS, ssoTokenStatus } from "../sso/token.js";
import { fail, ok, warn, type Check } from "./check.js";

/** doctor's SSO line; `renewing`: an expired token that the credential check is about to renew. */
export type SsoCheck = Check & { readonly renewing?: boolean };

/** ✓ while the sign-in lasts or can be renewed; ⚠ when it ends within 15 minutes for good; ✗ when it is gone. */
export function ssoTokenCheck(source: SsoSource, env: Env, now: Date): SsoCheck {
  const status = ssoTokenStatus(sessionOf(source), env, now);
  const who = `profile ${source.profile}`;
  const login = `git-credential-codecommit login --profile ${shellQuote(source.profile)}`;
  if (status.expiresAt === undefined)
    return fail(`${who} has no IAM Identity Center (SSO) sign-in: no usable token in ${status.file}`, login);
  const until = utcMinute(status.expiresAt);
  const left = status.expiresAt.getTime() - now.getTime();
  if (left > 0 && (status.refreshable || left >= REFRESH_WINDOW_MS)) {
    return ok(`the SSO sign-in of ${who} is valid until ${until}${status.refreshable ? ", and renewable with its refresh token" : ""}`);
  }
  if (status.refreshable)
    return {
      ...ok(`the SSO access token of ${who} expired at ${until}; git-credential-codecommit renews it with its refresh token`),
      renewing: true,
    };
  if (left > 0)
    return warn(`the SSO sign-in of ${who} ends at ${until}, in less than 15 minutes, and has no refresh token to renew it`, login);
  return fail(`the SSO sign-in of ${who} expired at ${until}, and has no refresh token to renew it`, login);
}

/** `2026-06-01 11:00 UTC`. */
function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
