/**
 * The SSO access token for `get`: read from ~/.aws/sso/cache; when fewer than 15 minutes are left
 * and the session can be refreshed, exchanged for a new one with the refresh token and written
 * back as the AWS CLI would (botocore `SSOTokenProvider._refresher`). No prompt, and the OIDC client
 * is loaded only for a refresh, so a valid token costs one small file read.
 */
import { SSO_OPTIONAL_REFRESH_MS } from "../aws-client/limits.js";
import { joinPath } from "../runtime/file-path.js";
import type { ClientContext } from "../aws-client/aws-client-config.js";
import type { Env } from "../env.js";
import type { Tracer } from "../trace.js";
import { ssoEndpoint } from "./endpoints.js";
import { failedOnTheWay, firstLine, OidcUnavailable, ssoSessionExpired } from "./errors.js";
import type { Oidc, OidcOptions } from "./oidc.js";
import type { SsoSession } from "./session.js";
import {
  formatTimestamp,
  parseTimestamp,
  readTokenFile,
  ssoCacheDir,
  tokenCacheKey,
  writeTokenFile,
  type TokenFile,
} from "./token-cache.js";

/** botocore `SSOTokenProvider._REFRESH_WINDOW`: refresh when fewer than 15 minutes remain. */
export const REFRESH_WINDOW_MS = 15 * 60_000;

export interface TokenContext {
  readonly env: Env;
  readonly now: () => Date;
  readonly trace: Tracer;
  /** The profile, for messages. */
  readonly profile: string;
  /** The network settings and budget of a refresh's OIDC client. */
  readonly client: ClientContext;
  /** Told the OIDC endpoint while a refresh is under way, and undefined after: who to blame if the run's budget ends meanwhile. */
  readonly onRefresh?: (oidcEndpoint: string | undefined) => void;
  /** {@link SSO_OPTIONAL_REFRESH_MS} unless given (unit tests). */
  readonly optionalRefreshMs?: number;
  /** Makes the OIDC client; the SDK one when absent (tests pass a fake). */
  readonly createOidc?: (options: OidcOptions) => Promise<Oidc>;
}

/** A usable access token for the session, refreshed if needed; throws a HelperError otherwise. */
export async function ssoAccessToken(session: SsoSession, ctx: TokenContext): Promise<{ accessToken: string; expiresAt: Date }> {
  const dir = ssoCacheDir(ctx.env);
  const key = tokenCacheKey(session);
  const token = readTokenFile(dir, key);
  const expiresAt = parseTimestamp(token?.expiresAt);
  if (!token || !expiresAt) {
    ctx.trace("no SSO token cached", { file: `${dir}/${key}.json` });
    throw ssoSessionExpired(ctx.profile);
  }
  ctx.trace.secret(token.accessToken);
  ctx.trace.secret(token.refreshToken);
  ctx.trace.secret(token.clientSecret);
  const remaining = expiresAt.getTime() - ctx.now().getTime();
  ctx.trace("SSO token cached", { file: `${dir}/${key}.json`, expiresAt: token.expiresAt });
  if (remaining < REFRESH_WINDOW_MS && refreshable(session, token, ctx.now())) {
    // The endpoint the refresh's OIDC client calls (it has the run's settings), named if it fails.
    const oidcEndpoint = ssoEndpoint("sso-oidc", session.region, ctx.client).text;
    ctx.onRefresh?.(oidcEndpoint);
    // Written when it comes, even after the old token was used: the service may have rotated the
    // refresh token, and the new one must not be lost.
    const refreshing = refresh(session, token, ctx).then((fresh) => {
      writeTokenFile(dir, key, fresh);
      return fresh;
    });
    try {
      const fresh = await (remaining > 0 ? within(refreshing, ctx.optionalRefreshMs ?? SSO_OPTIONAL_REFRESH_MS) : refreshing).finally(() =>
        ctx.onRefresh?.(undefined),
      );
      ctx.trace("SSO token refreshed", { expiresAt: fresh.expiresAt });
      return { accessToken: fresh.accessToken, expiresAt: parseTimestamp(fresh.expiresAt) as Date };
    } catch (err) {
      ctx.trace(`SSO token refresh failed: ${firstLine(err)}`);
      // Another process (a parallel `get` for another role, the AWS CLI) may have refreshed it first,
      // spending the refresh token this one used: its file is then as good as ours would have been.
      const other = readTokenFile(dir, key);
      const otherExpiresAt = parseTimestamp(other?.expiresAt);
      if (other && otherExpiresAt && other.accessToken !== token.accessToken && otherExpiresAt.getTime() > ctx.now().getTime()) {
        ctx.trace.secret(other.accessToken);
        return { accessToken: other.accessToken, expiresAt: otherExpiresAt };
      }
      // Like botocore: a failed refresh is no failure while the old token still works.
      if (remaining > 0) return { accessToken: token.accessToken, expiresAt };
      if (failedOnTheWay(err)) throw new OidcUnavailable(oidcEndpoint, err);
      throw ssoSessionExpired(ctx.profile, err);
    }
  }
  if (remaining <= 0) throw ssoSessionExpired(ctx.profile);
  return { accessToken: token.accessToken, expiresAt };
}

/** `work`, or a rejection once `ms` have passed. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { name: "TimeoutError" })), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * botocore refreshes only tokens of an `sso_session` (a legacy profile's have no refresh) that carry
 * the refresh token and a registration that has not expired.
 */
function refreshable(session: SsoSession, token: TokenFile, now: Date): boolean {
  if (session.sessionName === undefined) return false;
  if (!token.refreshToken || !token.clientId || !token.clientSecret || !token.registrationExpiresAt) return false;
  const registrationEnd = parseTimestamp(token.registrationExpiresAt);
  return registrationEnd !== undefined && registrationEnd.getTime() > now.getTime();
}

/** CreateToken with grant_type refresh_token; the new file as botocore's `_attempt_create_token` builds it. */
async function refresh(session: SsoSession, token: TokenFile, ctx: TokenContext): Promise<TokenFile> {
  const create = ctx.createOidc ?? (await import("./oidc.js")).createOidc;
  const oidc = await create({ region: session.region, client: ctx.client });
  try {
    const out = await oidc.createToken({
      grantType: "refresh_token",
      clientId: token.clientId as string,
      clientSecret: token.clientSecret as string,
      refreshToken: token.refreshToken as string,
    });
    return {
      startUrl: session.startUrl,
      region: session.region,
      accessToken: out.accessToken,
      expiresAt: formatTimestamp(new Date(ctx.now().getTime() + out.expiresIn * 1000)),
      clientId: token.clientId as string,
      clientSecret: token.clientSecret as string,
      registrationExpiresAt: token.registrationExpiresAt as string,
      ...(out.refreshToken ? { refreshToken: out.refreshToken } : {}),
    };
  } finally {
    oidc.destroy();
  }
}

/** What `doctor` shows for an SSO profile: the token file and how long it (or its refresh) lasts. */
export interface SsoTokenStatus {
  readonly file: string;
  /** Undefined when there is no usable token file. */
  readonly expiresAt?: Date;
  /** Whether `get` can renew it without a sign-in (an sso_session with a refresh token and a live registration). */
  readonly refreshable: boolean;
}

/** Reads the session's token file without refreshing anything. */
export function ssoTokenStatus(session: SsoSession, env: Env, now: Date): SsoTokenStatus {
  const dir = ssoCacheDir(env);
  const key = tokenCacheKey(session);
  const token = readTokenFile(dir, key);
  const expiresAt = parseTimestamp(token?.expiresAt);
  return {
    file: joinPath(dir, `${key}.json`),
    ...(expiresAt ? { expiresAt } : {}),
    refreshable: token !== undefined && refreshable(session, token, now),
  };
}
