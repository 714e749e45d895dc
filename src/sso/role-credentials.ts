/**
 * SSO role credentials for `get` (botocore `SSOCredentialFetcher._get_credentials`): the access
 * token from our own reading of ~/.aws/sso/cache (refreshed when due), then the SSO portal's
 * GetRoleCredentials through the public `@aws-sdk/client-sso`, with every parameter explicit so
 * the SDK reads no file itself.
 */
import type { SsoSource } from "../aws-config/credential-source.js";
import type { EndpointConfig } from "../aws-config/endpoint.js";
import type { Env } from "../env.js";
import { sdkLogger, type Tracer } from "../trace.js";
import { explicitClientSettings } from "../credentials/aws-client-config.js";
import { configuredEndpoint, defaultEndpoint } from "./endpoints.js";
import { isNetworkError, ssoSessionExpired, unreachable } from "./errors.js";
import { sessionOf } from "./session.js";
import { ssoAccessToken, type TokenContext } from "./token.js";
import { sdkPackage } from "../sdk-loader.js";

export interface RoleCredentialsContext {
  readonly env: Env;
  /** The selected profile's endpoint settings, when the caller has them. */
  readonly endpoints?: EndpointConfig;
  readonly now: () => Date;
  readonly trace: Tracer;
  /** Client settings shared with the resolver's other calls (timeouts, attempts, logger). */
  readonly clientConfig?: object;
  /** See {@link TokenContext.onRefresh}. */
  readonly onRefresh?: TokenContext["onRefresh"];
}

/** Credentials in the SDK's shape, so the resolver can treat them like any provider's. */
export interface SsoRoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly accountId: string;
}

/** The profile's role credentials; throws a HelperError for an expired session or an unreachable portal. */
export async function ssoRoleCredentials(source: SsoSource, ctx: RoleCredentialsContext): Promise<SsoRoleCredentials> {
  const session = sessionOf(source);
  const { accessToken } = await ssoAccessToken(session, { ...ctx, profile: source.profile });
  const { SSOClient, GetRoleCredentialsCommand } = await sdkPackage("client-sso");
  // Always explicit: the SDK left to itself would read endpoint variables without the profile's settings.
  const endpoint = configuredEndpoint("sso", ctx) ?? defaultEndpoint("sso", session.region, ctx);
  const client = new SSOClient({ ...explicitClientSettings(session.region, endpoint), logger: sdkLogger(ctx.trace), ...ctx.clientConfig });
  try {
    const out = await client.send(new GetRoleCredentialsCommand({ accessToken, accountId: source.accountId, roleName: source.roleName }));
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || c.expiration === undefined) {
      throw new Error("SSO GetRoleCredentials returned incomplete credentials");
    }
    ctx.trace.secret(c.secretAccessKey);
    ctx.trace.secret(c.sessionToken);
    // The portal answers in epoch milliseconds.
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(Number(c.expiration)), accountId: source.accountId };
  } catch (err) {
    // botocore turns UnauthorizedException into UnauthorizedSSOTokenError: log in again.
    if ((err as { name?: string }).name === "UnauthorizedException") throw ssoSessionExpired(source.profile, err);
    if (isNetworkError(err)) throw unreachable("the SSO portal", endpoint, err);
    throw err;
  } finally {
    client.destroy();
  }
}
