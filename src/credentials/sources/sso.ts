/**
 * SSO role credentials (`sso_session` or the legacy `sso_start_url` profile): the role session
 * cached as the AWS CLI v2 caches it (session-entry.ts); on a miss, src/sso/'s
 * `ssoRoleCredentials` (its own reading and refresh of ~/.aws/sso/cache, then GetRoleCredentials
 * through `@aws-sdk/client-sso`), given this run's proxy/CA agents and timeouts and bounded by the
 * run's budget. A failure is worded like every other peer's, with the proxy and CA in effect.
 */
import type { SsoSource } from "../../aws-config/credential-source.js";
import { HelperError } from "../../errors.js";
import { type EndpointSource, ssoEndpoint } from "../../sso/endpoints.js";
import { OidcUnavailable } from "../../sso/errors.js";
import { ssoRoleCredentials } from "../../sso/role-credentials.js";
import type { NetworkContext } from "../../aws-client/aws-client-config.js";
import { cachedSession, type SessionCache } from "../../session-cache/cached-session.js";
import type { CachedCredentials } from "../../session-cache/entry.js";
import { missingSsoSettings } from "../../session-cache/sso-session-args.js";
import { explainCredentialError } from "../../aws-client/explain-error.js";
import { ssoSessionEntry } from "../session-entry.js";
import { peer, type SourceContext } from "../source-context.js";

/** The SSO role credentials of `source`, or a HelperError that names the peer that failed. */
export function ssoCredentials(source: SsoSource, ctx: SourceContext): Promise<CachedCredentials> {
  return ssoSession(ctx, ctx.cache, source).catch((err: unknown) => {
    if (err instanceof OidcUnavailable) {
      throw explainCredentialError(err.cause, {
        ...peer(ctx, "IAM Identity Center (OIDC)", source.profile, source.ssoRegion),
        endpoint: new URL(err.endpoint),
      });
    }
    // An unreachable portal is worded like every other peer, with the proxy and CA in effect.
    const why = err instanceof HelperError && err.kind === "unreachable" && err.cause !== undefined ? err.cause : err;
    throw explainCredentialError(why, { ...peer(ctx, "SSO", source.profile, source.ssoRegion), endpoint: ssoPortal(ctx, source) });
  });
}

/** The SSO role credentials of `source`, from the role cache or the SSO portal. */
function ssoSession(ctx: NetworkContext & EndpointSource, cache: SessionCache, source: SsoSource): Promise<CachedCredentials> {
  const missing = missingSsoSettings(source);
  if (missing.length > 0) {
    const names = missing.join(", ");
    return Promise.reject(
      new HelperError(
        "credentials",
        `the SSO profile ${source.profile} lacks ${names}`,
        `Set ${names} in the profile, or run "aws configure sso --profile ${source.profile}"`,
      ),
    );
  }
  const { key, label } = ssoSessionEntry(source);
  return cachedSession(cache, key, { label, mfa: false }, async () => {
    let refreshing: string | undefined;
    const onRefresh = (oidcEndpoint: string | undefined): void => {
      refreshing = oidcEndpoint;
    };
    const credentials = await ctx.deadline
      .race(ssoRoleCredentials(source, { env: ctx.env, now: cache.now, trace: ctx.trace, client: ctx, onRefresh }))
      .catch((err: unknown) => {
        // The budget ran out while the token was being refreshed: OIDC did not answer, not the portal.
        throw refreshing !== undefined && !(err instanceof HelperError) ? new OidcUnavailable(refreshing, err) : err;
      });
    return { credentials, extras: { providerType: "sso" } };
  });
}

/** The SSO portal's URL (for the proxy decision and messages). */
function ssoPortal(ctx: NetworkContext & EndpointSource, source: SsoSource): URL {
  return ssoEndpoint("sso", source.ssoRegion, ctx).url;
}
