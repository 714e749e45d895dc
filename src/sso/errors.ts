/**
 * The one-line failures of SSO sign-in and token use: each names the profile or
 * endpoint and says what to do. SDK and network errors never carry a token, so their first line
 * may be quoted.
 */
import { UNREACHABLE_CODES } from "../aws-client/explain-error.js";
import { HelperError } from "../errors.js";

/** No usable token: never logged in, expired, or refused by the portal. Names our command first. */
export function ssoSessionExpired(profile: string, cause?: unknown): HelperError {
  return new HelperError(
    "sso-expired",
    `the SSO session for profile ${profile} has expired or was never started`,
    `Run "git-credential-codecommit login --profile ${profile}" (or "aws sso login --profile ${profile}")`,
    { cause },
  );
}

/** Whether an error is the network failing rather than the service answering. */
export function isNetworkError(err: unknown): boolean {
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e.$metadata?.httpStatusCode) return false;
  return (
    e.name === "TimeoutError" ||
    e.name === "DeadlineExceeded" ||
    UNREACHABLE_CODES.has(e.code ?? "") ||
    /socket hang up|timed? ?out|ECONNREFUSED|EHOSTUNREACH|ENOTFOUND/i.test(e.message ?? "")
  );
}

/**
 * A token refresh that failed on the way (no connection, no answer, a server error, throttling, a
 * reply that is no answer) rather than by the service's refusal, which would mean "log in again":
 * telling a person to sign in again would not help. The resolver words it like every other peer's failure, naming the OIDC endpoint.
 */
export class OidcUnavailable extends Error {
  override readonly name = "OidcUnavailable";
  constructor(
    readonly endpoint: string,
    cause: unknown,
  ) {
    super(firstLine(cause), { cause });
  }
}

/** Whether a call failed on the way: the network, a 5xx or 429, throttling, or a 2xx that did not parse. */
export function failedOnTheWay(err: unknown): boolean {
  const e = (err ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    isNetworkError(err) ||
    (status !== undefined && (status >= 500 || status === 429 || status < 300)) ||
    /Throttl|TooManyRequests/.test(e.name ?? "")
  );
}

/** The endpoint did not answer. */
export function unreachable(what: string, endpoint: string, err: unknown): HelperError {
  return new HelperError(
    "unreachable",
    `could not reach ${what} at ${endpoint}: ${firstLine(err)}`,
    "Check the network, proxy and endpoint settings, then try again",
    { cause: err },
  );
}

/** The first line of an error's message (SDK errors name the exception when the message is empty). */
export function firstLine(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string; error_description?: string } | undefined;
  // OIDC errors carry the OAuth error_description; the SDK's message is then often "UnknownError".
  const message = (e?.error_description || e?.message || String(err)).split("\n")[0]?.trim();
  return message || e?.code || e?.name || "unknown error";
}
