/**
 * SSO role credentials (contract §6): the access token the AWS CLI's `sso login` (or our `login`)
 * left in `~/.aws/sso/cache/<sha1>.json`, then GetRoleCredentials through the public
 * `@aws-sdk/client-sso` with explicit parameters. The role session is cached as the CLI v2 caches
 * it (role-cache.ts, ssoCacheKey).
 *
 * This is the one SSO branch of resolution, kept small on purpose: issue 12 (login) replaces the
 * token handling here with its own, including refresh.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SsoSource } from "../aws-config/credential-source.js";
import { HelperError } from "../errors.js";
import { clientConfig, type NetworkContext, ssoEndpoint } from "./aws-client-config.js";
import { cachedSession, type SessionCache } from "./cached-session.js";
import { homeDir } from "./config-files.js";
import { type CachedCredentials, parseExpiration, ssoCacheKey } from "./role-cache.js";

/** The SSO role credentials of `source`, from the role cache or the SSO portal. */
export function ssoCredentials(ctx: NetworkContext, cache: SessionCache, source: SsoSource): Promise<CachedCredentials> {
  const missing = (
    [
      ["sso_start_url", source.startUrl],
      ["sso_region", source.ssoRegion],
      ["sso_account_id", source.accountId],
      ["sso_role_name", source.roleName],
    ] as const
  ).filter(([, v]) => !v);
  if (missing.length > 0) {
    const names = missing.map(([k]) => k).join(", ");
    return Promise.reject(
      new HelperError("credentials", `the SSO profile ${source.profile} lacks ${names}`, `Set ${names} in the profile${source.sessionName ? ` or its [sso-session ${source.sessionName}] section` : ""}, or run "aws configure sso --profile ${source.profile}"`),
    );
  }
  const args = source.sessionName
    ? { accountId: source.accountId, roleName: source.roleName, sessionName: source.sessionName }
    : { accountId: source.accountId, roleName: source.roleName, startUrl: source.startUrl };
  return cachedSession(cache, ssoCacheKey(args), { label: `${source.profile} (SSO ${source.accountId}/${source.roleName})`, mfa: false }, async () => {
    const token = readSsoToken(ctx, source, cache.now());
    const { SSOClient, GetRoleCredentialsCommand } = await import("@aws-sdk/client-sso");
    const client = new SSOClient(await clientConfig(ctx, source.ssoRegion, ssoEndpoint(source.ssoRegion, ctx.env)));
    try {
      const out = await ctx.deadline.race(
        client.send(new GetRoleCredentialsCommand({ accessToken: token, accountId: source.accountId, roleName: source.roleName }), { abortSignal: ctx.deadline.signal }),
      );
      const c = out.roleCredentials;
      if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || !c.expiration) throw new Error("SSO answered without complete credentials");
      return {
        credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration), accountId: source.accountId },
        extras: { providerType: "sso" },
      };
    } finally {
      client.destroy();
    }
  });
}

/** The cached SSO access token (botocore SSOTokenLoader: sha1 of the session name or start URL). */
function readSsoToken(ctx: NetworkContext, source: SsoSource, now: Date): string {
  const key = createHash("sha1").update(source.sessionName ?? source.startUrl, "utf8").digest("hex");
  const file = join(homeDir(ctx.env), ".aws", "sso", "cache", `${key}.json`);
  const expired = (): HelperError =>
    new HelperError("sso-expired", `the SSO session for profile ${source.profile} has expired or was never started`, `Run "git-credential-codecommit login --profile ${source.profile}" (or "aws sso login --profile ${source.profile}")`);
  let entry: { accessToken?: unknown; expiresAt?: unknown };
  try {
    entry = JSON.parse(readFileSync(file, "utf8")) as typeof entry;
  } catch {
    throw expired();
  }
  const expiresAt = parseExpiration(entry.expiresAt);
  if (typeof entry.accessToken !== "string" || !entry.accessToken || !expiresAt || expiresAt.getTime() <= now.getTime()) throw expired();
  ctx.trace.secret(entry.accessToken);
  return entry.accessToken;
}
