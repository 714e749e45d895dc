/**
 * SSO role credentials for `get` (botocore `SSOCredentialFetcher._get_credentials`): the access
 * token from our own reading of ~/.aws/sso/cache (refreshed when due), then the SSO portal's
 * GetRoleCredentials through the public `@aws-sdk/client-sso`, with every parameter explicit so
 * the SDK reads no file itself.
 */
import type { SsoSource } from "../aws-config/credential-source.js";
import type { ClientContext } from "../aws-client/aws-client-config.js";
import { ssoClient } from "../aws-client/clients.js";
import type { Env } from "../env.js";
import type { Tracer } from "../trace.js";
import { ssoEndpoint } from "./endpoints.js";
import { isNetworkError, ssoSessionExpired, unreachable } from "./errors.js";
import { sessionOf } from "./session.js";
import { ssoAccessToken, type TokenContext } from "./token.js";
import { sdkPackage } from "../runtime/sdk-loader.js";

export interface RoleCredentialsContext {
  readonly env: Env;
  readonly now: () => Date;
  readonly trace: Tracer;
  /** The run's network settings and budget, shared with the resolver's other calls. */
  readonly client: ClientContext;
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
  const { GetRoleCredentialsCommand } = await sdkPackage("client-sso");
  const target = ssoEndpoint("sso", session.region, ctx.client);
  const client = await ssoClient(ctx.client, target);
  try {
    const out = await client.send(new GetRoleCredentialsCommand({ accessToken, accountId: source.accountId, roleName: source.roleName }));
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || c.expiration === undefined) {
      throw new Error("SSO GetRoleCredentials returned incomplete credentials");
    }
    ctx.trace.secret(c.secretAccessKey);
    ctx.trace.secret(c.sessionToken);
    // The portal answers in epoch milliseconds.
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(Number(c.expiration)),
      accountId: source.accountId,
    };
  } catch (err) {
    // botocore turns UnauthorizedException into UnauthorizedSSOTokenError: log in again.
    if ((err as { name?: string }).name === "UnauthorizedException") throw ssoSessionExpired(source.profile, err);
    if (isNetworkError(err)) throw unreachable("the SSO portal", target.text, err);
    throw err;
  } finally {
    client.destroy();
  }
}
