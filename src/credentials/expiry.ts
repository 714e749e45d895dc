/**
 * Expiry of credentials handed to us (AWS_CREDENTIAL_EXPIRATION, a credential_process's
 * `Expiration`): parsed strictly and checked, because botocore refuses credentials that are already
 * expired ("Credentials were refreshed, but the refreshed credentials are still expired") and a
 * password signed with them is useless to git. An unparsable expiry is refused as well, rather
 * than handing git a `password_expiry_utc` of NaN (see gitcredentials(7) on password_expiry_utc).
 */
import { HelperError } from "../errors.js";
import { formatExpiration, parseExpiration } from "../aws-config/expiration.js";

/** Where an expiry came from, for the message: e.g. "AWS_CREDENTIAL_EXPIRATION". */
export interface ExpirySource {
  /** The setting or field that held the expiry. */
  readonly setting: string;
  /** The credentials it belongs to, in words: "the environment credentials". */
  readonly what: string;
  /** What the user does to get fresh ones. */
  readonly fix: string;
}

/**
 * The expiry as a Date, or a HelperError when it is unparsable or already past at `now`.
 * Accepted forms: ISO 8601 date-time with a zone (`Z`, `+00:00`, `UTC`), fractional seconds allowed.
 */
export function checkedExpiry(value: string, now: Date, source: ExpirySource): Date {
  const expiration = parseExpiration(value);
  if (!expiration) {
    throw new HelperError(
      "expired-credentials",
      `${source.what} have an expiry that is not a date and time (${source.setting}), so they cannot be trusted`,
      `Set ${source.setting} to an ISO 8601 time such as 2030-01-01T00:00:00Z, or ${source.fix}`,
    );
  }
  if (expiration.getTime() <= now.getTime()) {
    throw new HelperError(
      "expired-credentials",
      `${source.what} expired at ${formatExpiration(expiration)} (${source.setting})`,
      source.fix.charAt(0).toUpperCase() + source.fix.slice(1),
    );
  }
  return expiration;
}
