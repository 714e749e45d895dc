/**
 * The public OIDC client a sign-in runs as: reused from ~/.aws/sso/cache while at least 15 minutes
 * of it remain and it suits the flow (botocore `SSOTokenFetcher._registration` /
 * `SSOTokenFetcherAuth._registration`), else registered anew. The device and authorization-code
 * flows share one cache key; a registration for the other flow is replaced, as the CLI does.
 */
import type { Oidc } from "./oidc.js";
import type { SsoSession } from "./session.js";
import { formatTimestamp, parseTimestamp, readRegistrationFile, registrationCacheKey, type RegistrationFile } from "./token-cache.js";

/** botocore `BaseSSOTokenFetcher._EXPIRY_WINDOW`. */
const EXPIRY_WINDOW_MS = 15 * 60_000;
/** `SSOTokenFetcherAuth._AUTH_GRANT_TYPES`. */
export const AUTH_CODE_GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
/** The scope an authorization-code registration gets when none is configured. */
export const DEFAULT_AUTH_CODE_SCOPE = "sso:account:access";
/** The redirect URI registered (the port is added in the authorize request, as the AWS CLI does). */
export const REGISTERED_REDIRECT_URI = "http://127.0.0.1/oauth/callback";

/** Which sign-in a registration serves: the two need different registrations. */
export type FlowKind = "device" | "auth-code";

/** A registration ready for a flow, and whether it still has to be cached. */
export interface ObtainedRegistration {
  readonly registration: RegistrationFile;
  /** The cache key it belongs under. */
  readonly key: string;
  /** True when it was just registered and still has to be written to the cache. */
  readonly isNew: boolean;
}

/** A usable registration for the flow: the cached one, or a new one from RegisterClient. */
export async function obtainRegistration(
  session: SsoSession,
  kind: FlowKind,
  oidc: Oidc,
  cacheDir: string,
  now: Date,
): Promise<ObtainedRegistration> {
  const key = registrationCacheKey(session);
  const cached = readRegistrationFile(cacheDir, key);
  if (cached && suits(cached, kind, now)) return { registration: cached, key, isNew: false };

  const scopes = kind === "auth-code" ? (session.registrationScopes ?? [DEFAULT_AUTH_CODE_SCOPE]) : session.registrationScopes;
  const out = await oidc.registerClient({
    clientName: clientName(session, now),
    clientType: "public",
    ...(scopes && scopes.length > 0 ? { scopes } : {}),
    ...(kind === "auth-code"
      ? { grantTypes: AUTH_CODE_GRANT_TYPES, redirectUris: [REGISTERED_REDIRECT_URI], issuerUrl: session.startUrl }
      : {}),
  });
  const registration: RegistrationFile = {
    clientId: out.clientId,
    clientSecret: out.clientSecret,
    expiresAt: formatTimestamp(new Date(out.clientSecretExpiresAt * 1000)),
    ...(scopes && scopes.length > 0 ? { scopes } : {}),
    ...(kind === "auth-code" ? { grantTypes: [...AUTH_CODE_GRANT_TYPES] } : {}),
  };
  return { registration, key, isNew: true };
}

function suits(registration: RegistrationFile, kind: FlowKind, now: Date): boolean {
  const expiresAt = parseTimestamp(registration.expiresAt);
  if (!expiresAt || expiresAt.getTime() - now.getTime() < EXPIRY_WINDOW_MS) return false;
  // The CLI did not record grantTypes for device registrations: their absence means "device".
  const forAuthCode = Array.isArray(registration.grantTypes) && registration.grantTypes.includes("authorization_code");
  return forAuthCode === (kind === "auth-code");
}

/**
 * The client name shown in IAM Identity Center: ours, with the session name (or, for a legacy
 * profile, the time in seconds, as botocore `_generate_client_name` does).
 */
function clientName(session: SsoSession, now: Date): string {
  return `git-credential-codecommit-${session.sessionName ?? Math.floor(now.getTime() / 1000)}`;
}
