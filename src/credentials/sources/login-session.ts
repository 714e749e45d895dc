/**
 * Credentials of a `login_session` profile (the AWS CLI's `aws login`, console sign-in). The CLI
 * keeps them in `~/.aws/login/cache/<sha256 of the session>.json` (`AWS_LOGIN_CACHE_DIRECTORY`
 * overrides; botocore `LoginTokenLoader`). A fresh entry (more than 5 minutes left, botocore
 * `LoginCredentialFetcher._REFRESH_THRESHOLD`) is used as it is, with no SDK and no network. A due
 * refresh needs a DPoP-signed CreateOAuth2Token call, which only the SDK's `fromLoginCredentials`
 * offers publicly: it does the refresh and rewrites the file. Anything missing or refused is one
 * line telling the user to run `aws login` (this program cannot start a console sign-in, so this is
 * a credential source only, not a sign-in flow of src/sso/).
 */
import { readCacheText } from "../../session-cache/own-file.js";
import { joinPath } from "../../runtime/file-path.js";
import type { LoginSource } from "../../aws-config/credential-source.js";
import { homeDir } from "../../aws-config/paths.js";
import { ENV, type Env } from "../../env.js";
import { sha256Hex } from "../../hashes.js";
import { HelperError } from "../../errors.js";
import type { Tracer } from "../../trace.js";
import type { SigningCredentials } from "../../password.js";
import type { SourceContext } from "../source-context.js";
import type { ClientContext } from "../../aws-client/aws-client-config.js";
import { loginSessionProvider } from "../../aws-client/clients.js";
import { ssoEndpoint } from "../../sso/endpoints.js";
import { firstLine, isNetworkError } from "../../sso/errors.js";
import { parseTimestamp } from "../../sso/token-cache.js";

/** botocore `LoginCredentialFetcher._REFRESH_THRESHOLD`. */
const REFRESH_THRESHOLD_MS = 5 * 60_000;

export interface LoginCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly accountId?: string;
}

export interface LoginContext {
  readonly env: Env;
  readonly now: () => Date;
  readonly trace: Tracer;
  /** The run's network settings and budget, for the sign-in client of a refresh. */
  readonly client: ClientContext;
}

/** The cache directory: `AWS_LOGIN_CACHE_DIRECTORY` (with `~` expanded), else ~/.aws/login/cache. */
export function loginCacheDir(env: Env): string {
  const configured = env[ENV.loginCacheDir];
  if (configured) return configured === "~" || configured.startsWith("~/") ? joinPath(homeDir(env), configured.slice(1)) : configured;
  return joinPath(homeDir(env), ".aws", "login", "cache");
}

/** The session's credentials, refreshed through the SDK when due; throws a HelperError otherwise. */
export async function loginSessionCredentials(
  source: Pick<LoginSource, "profile" | "loginSession"> & { readonly region: string },
  ctx: LoginContext,
): Promise<LoginCredentials> {
  const file = joinPath(loginCacheDir(ctx.env), `${sha256Hex(source.loginSession)}.json`);
  const cached = readEntry(file);
  if (!cached) {
    ctx.trace("no usable login_session token", { file });
    throw runAwsLogin(source.profile);
  }
  ctx.trace.secret(cached.secretAccessKey);
  ctx.trace.secret(cached.sessionToken);
  if (cached.expiration.getTime() - ctx.now().getTime() > REFRESH_THRESHOLD_MS) {
    ctx.trace("login_session token cached", { file, expiresAt: cached.expiration });
    return cached;
  }
  ctx.trace("login_session token due for refresh", { file, expiresAt: cached.expiration });
  try {
    const target = ssoEndpoint("signin", source.region, ctx.client);
    const c = await (await loginSessionProvider(ctx.client, target, source.profile))();
    if (!c.sessionToken || !c.expiration) throw new Error("the refreshed login_session credentials have no session token or expiry");
    ctx.trace.secret(c.secretAccessKey);
    ctx.trace.secret(c.sessionToken);
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: c.expiration,
      ...(c.accountId ? { accountId: c.accountId } : {}),
    };
  } catch (err) {
    ctx.trace(`login_session refresh failed: ${firstLine(err)}`);
    // Like botocore: a token that still works is used while a refresh fails for a passing reason.
    if (cached.expiration.getTime() > ctx.now().getTime() && isNetworkError(err)) return cached;
    if (isNetworkError(err)) {
      throw new HelperError(
        "unreachable",
        `could not reach AWS sign-in to refresh the login_session of profile ${source.profile}: ${firstLine(err)}`,
        "Check the network, proxy and endpoint settings, then try again",
        { cause: err },
      );
    }
    throw runAwsLogin(source.profile, err);
  }
}

function runAwsLogin(profile: string, cause?: unknown): HelperError {
  return new HelperError(
    "sso-expired",
    `the console sign-in (login_session) of profile ${profile} has expired or was never started on this machine`,
    `Run "aws login --profile ${profile}"`,
    { cause },
  );
}

/** The cached credentials, if the entry has every field botocore requires. */
function readEntry(file: string): LoginCredentials | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(readCacheText(file)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!entry || typeof entry !== "object" || !entry.refreshToken || !entry.dpopKey || !entry.clientId) return undefined;
  const t = entry.accessToken as Record<string, unknown> | undefined;
  const expiration = parseTimestamp(t?.expiresAt);
  if (!t || typeof t.accessKeyId !== "string" || typeof t.secretAccessKey !== "string" || typeof t.sessionToken !== "string" || !expiration)
    return undefined;
  return {
    accessKeyId: t.accessKeyId,
    secretAccessKey: t.secretAccessKey,
    sessionToken: t.sessionToken,
    expiration,
    ...(typeof t.accountId === "string" ? { accountId: t.accountId } : {}),
  };
}

/** The session of `source` as the dispatcher asks for it: the host's region unless the profile names one, within the run's budget. */
export async function loginCredentials(source: LoginSource, ctx: SourceContext): Promise<SigningCredentials> {
  return ctx.deadline.race(
    loginSessionCredentials(
      { ...source, region: source.region || ctx.hostRegion },
      { env: ctx.env, now: ctx.now, trace: ctx.trace, client: ctx },
    ),
  );
}
