/**
 * A web identity token (`web_identity_token_file` or AWS_WEB_IDENTITY_TOKEN_FILE) traded with STS
 * for a role session: botocore's AssumeRoleWithWebIdentityProvider.
 */
import { nodeFs } from "../../runtime/node-fs.js";
import type { WebIdentitySource } from "../../aws-config/credential-source.js";
import { HelperError } from "../../errors.js";
import type { SigningCredentials } from "../../password.js";
import { stsTarget } from "../../aws-client/aws-client-config.js";
import { explainCredentialError } from "../../aws-client/explain-error.js";
import { assumeRoleWithWebIdentity } from "../../aws-client/sts.js";
import { cachedSession, type FreshSession } from "../../session-cache/cached-session.js";
import { webIdentitySessionEntry } from "../session-entry.js";
import { peer, type SourceContext } from "../source-context.js";

/**
 * The session for `source`. The AWS CLI gives its file cache to the chain's own web identity
 * provider only (awscli/customizations/assumerole.py); botocore fetches a source profile's anew, so
 * a `hop` (the source profile of a role) is never cached.
 */
export async function webIdentityCredentials(source: WebIdentitySource, ctx: SourceContext, hop: boolean): Promise<SigningCredentials> {
  if (hop) return (await webIdentitySession(source, ctx)).credentials;
  const { key, label } = webIdentitySessionEntry(source);
  return cachedSession(ctx.cache, key, { label, mfa: false }, () => webIdentitySession(source, ctx));
}

/** The token file's token, traded with STS for a session (and what the CLI caches with it). */
async function webIdentitySession(source: WebIdentitySource, ctx: SourceContext): Promise<FreshSession> {
  const profile = source.profile ?? ctx.profile;
  let token: string;
  try {
    token = nodeFs().readFileSync(source.tokenFile, "utf8").trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new HelperError(
      "credentials",
      `the web identity token file ${source.tokenFile} of profile ${profile} cannot be read (${code})`,
      "Check web_identity_token_file / AWS_WEB_IDENTITY_TOKEN_FILE",
    );
  }
  ctx.trace.secret(token);
  const region = source.region || ctx.hostRegion;
  const target = stsTarget(region, ctx.endpoints);
  const endpoint = target.endpoint;
  try {
    return await assumeRoleWithWebIdentity(ctx, target, {
      RoleArn: source.roleArn,
      // botocore's AssumeRoleWithWebIdentityCredentialFetcher default session name.
      RoleSessionName: source.roleSessionName ?? `botocore-session-${Math.floor(ctx.now().getTime() / 1000)}`,
      WebIdentityToken: token,
    });
  } catch (err) {
    throw explainCredentialError(err, { ...peer(ctx, "STS", profile, region), endpoint, roleArn: source.roleArn });
  }
}
