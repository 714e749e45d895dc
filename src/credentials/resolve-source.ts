/**
 * Executes a {@link CredentialSource} — decided by our reading of the files (contract §6) — into
 * credentials. Credentials already at hand (environment, static keys, a fresh role-cache entry)
 * load no AWS code at all; everything else makes exactly the network call its source needs, with
 * explicit parameters, inside the run's one budget:
 *
 * | source | how |
 * |---|---|
 * | env, static | as given (an expired or unparsable AWS_CREDENTIAL_EXPIRATION refused) |
 * | assume-role | role cache, else source credentials (recursively, each hop cached) + STS AssumeRole |
 * | web-identity | role cache (the selected profile's only), else the token file + STS AssumeRoleWithWebIdentity |
 * | sso | sso-source.ts (the SSO token cache + SSO GetRoleCredentials) |
 * | process | process-source.ts (credential_process as botocore runs it) |
 * | login-session | src/sso/login-session.ts (the AWS CLI's login cache; the SDK refreshes) |
 * | container-or-imds | the container endpoint when configured, else instance metadata |
 */
import { nodeFs } from "../runtime/node-fs.js";
import type { AssumeRoleSource, CanonicalSource, CredentialSource, LoginSource, WebIdentitySource } from "../aws-config/credential-source.js";
import { HelperError } from "../errors.js";
import type { SigningCredentials } from "../password.js";
import { OidcUnavailable } from "../sso/errors.js";
import { configuredEndpoint, defaultEndpoint } from "../sso/endpoints.js";
import { loginSessionCredentials } from "../sso/login-session.js";
import type { EndpointConfig } from "../aws-config/endpoint.js";
import { type NetworkContext, stsTarget } from "../aws-client/aws-client-config.js";
import { cliRequest, roleArgs, roleSessionLabel, webIdentityArgs, webIdentitySessionLabel } from "../session-cache/assume-role-request.js";
import { cachedSession, type FreshSession, type SessionCache } from "../session-cache/cached-session.js";
import { explainCredentialError, type Peer } from "../aws-client/explain-error.js";
import { envCredentials, staticCredentials } from "./given-credentials.js";
import { containerConfigured, containerCredentials, imdsCredentials, imdsEnabled, type InstanceContext } from "../aws-client/instance-sources.js";
import { processCredentials } from "./process-source.js";
import { roleCacheKey } from "../session-cache/key.js";
import { ssoCredentials, ssoPortal } from "./sso-source.js";
import { assumeRole, assumeRoleWithWebIdentity } from "../aws-client/sts.js";

/** Everything executing a source needs from the run. */
export interface SourceContext extends NetworkContext {
  readonly now: () => Date;
  readonly cache: SessionCache;
  /** The selected profile (named in messages). */
  readonly profile: string;
  /** The CodeCommit host's region: STS goes there unless the profile names one. */
  readonly hostRegion: string;
  /**
   * What decides each endpoint: the selected profile's settings for every hop, as botocore's
   * clients all read the session's profile, not the source profile's.
   */
  readonly endpoints: EndpointConfig;
  /** The shared files, named in the "no credentials" message. */
  readonly files: readonly string[];
  /** Asks the user for an MFA code (the budget is already paused around it). */
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
  /** How long a credential_process may run (it may wait on a person, as aws-vault's prompts do). */
  readonly processTimeoutMs: number;
}

/**
 * The credentials `source` yields. `hop`: the source is the source profile of a role (a hop of a
 * chain), not the one the run selected.
 */
export async function resolveSource(source: CredentialSource | CanonicalSource, ctx: SourceContext, hop = false): Promise<SigningCredentials> {
  switch (source.kind) {
    case "env":
      return envCredentials(source, ctx.now());
    case "static":
      return staticCredentials(source);
    case "assume-role":
      return assumeRoleCredentials(source, ctx);
    case "web-identity":
      // The AWS CLI gives its file cache to the chain's own web identity provider only
      // (awscli/customizations/assumerole.py); botocore fetches a source profile's anew.
      return hop ? (await webIdentitySession(source, ctx)).credentials : cachedWebIdentity(source, ctx);
    case "sso":
      return ssoCredentials(ctx, ctx.cache, source).catch((err: unknown) => {
        if (err instanceof OidcUnavailable) {
          throw explainCredentialError(err.cause, { ...peer(ctx, "IAM Identity Center (OIDC)", source.profile, source.ssoRegion), endpoint: new URL(err.endpoint) });
        }
        // An unreachable portal is worded like every other peer, with the proxy and CA in effect.
        const why = err instanceof HelperError && err.kind === "unreachable" && err.cause !== undefined ? err.cause : err;
        throw explainCredentialError(why, { ...peer(ctx, "SSO", source.profile, source.ssoRegion), endpoint: ssoPortal(ctx, source) });
      });
    case "process":
      return processCredentials({ profile: source.profile, command: source.command, env: ctx.env, now: ctx.now(), signal: AbortSignal.timeout(ctx.processTimeoutMs) });
    case "login-session":
      return loginCredentials(source, ctx);
    case "container-or-imds":
      return lastResort(ctx);
    case "canonical":
      return canonicalCredentials(source, ctx);
  }
}

/**
 * One role hop: the cache entry when fresh (the source is then not even resolved, as lazily as the
 * AWS CLI); otherwise, under the cache lock, the source's credentials, the MFA code if the profile
 * has `mfa_serial` (asked only now, on a miss), and AssumeRole.
 */
async function assumeRoleCredentials(source: AssumeRoleSource, ctx: SourceContext): Promise<SigningCredentials> {
  const args = roleArgs(source);
  const region = source.region || ctx.hostRegion;
  const target = stsTarget(region, ctx.endpoints);
  const endpoint = target.endpoint;
  const mfaSerial = source.mfaSerial;
  const session = await cachedSession(ctx.cache, roleCacheKey(args), { label: roleSessionLabel(source), mfa: mfaSerial !== undefined }, async () => {
    // The budget went on waiting for another process's lock: say so rather than blame STS.
    if (ctx.deadline.isExpired) {
      // An MFA profile waited only because it cannot prompt: that is the actionable part.
      if (mfaSerial !== undefined) ctx.promptMfa(mfaSerial, source.profile);
      throw new HelperError(
        "unreachable",
        `no session for profile ${source.profile} role ${source.roleArn} within ${ctx.deadline.totalMs / 1000} s: another git-credential-codecommit was getting it and did not finish`,
        "Try again; if it persists, check the network and proxy settings",
      );
    }
    const from = await resolveSource(source.source, ctx, true);
    const tokenCode = mfaSerial !== undefined ? ctx.promptMfa(mfaSerial, source.profile) : undefined;
    try {
      return await assumeRole(ctx, target, from, cliRequest(args, ctx.now(), tokenCode));
    } catch (err) {
      throw explainCredentialError(err, { ...peer(ctx, "STS", source.profile, region), endpoint, roleArn: source.roleArn });
    }
  });
  return session;
}

/** A web identity session from the role cache, as the AWS CLI shares it; else from STS, then cached. */
function cachedWebIdentity(source: WebIdentitySource, ctx: SourceContext): Promise<SigningCredentials> {
  return cachedSession(ctx.cache, roleCacheKey(webIdentityArgs(source)), { label: webIdentitySessionLabel(source), mfa: false }, () => webIdentitySession(source, ctx));
}

/** The token file's token, traded with STS for a session (and what the CLI caches with it). */
async function webIdentitySession(source: WebIdentitySource, ctx: SourceContext): Promise<FreshSession> {
  const profile = source.profile ?? ctx.profile;
  let token: string;
  try {
    token = nodeFs().readFileSync(source.tokenFile, "utf8").trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new HelperError("credentials", `the web identity token file ${source.tokenFile} of profile ${profile} cannot be read (${code})`, "Check web_identity_token_file / AWS_WEB_IDENTITY_TOKEN_FILE");
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

/**
 * `login_session` profiles: issue 12's reading of the AWS CLI's login cache (a fresh entry needs no
 * network; a due one is refreshed through the SDK's fromLoginCredentials), with this run's proxy/CA
 * agents and timeouts, bounded by the run's budget.
 */
async function loginCredentials(source: LoginSource, ctx: SourceContext): Promise<SigningCredentials> {
  return ctx.deadline.race(loginSessionCredentials({ ...source, region: source.region || ctx.hostRegion }, { env: ctx.env, now: ctx.now, trace: ctx.trace, client: ctx }));
}

/** `credential_source` of a role profile (botocore CanonicalNameCredentialSourcer). */
async function canonicalCredentials(source: CanonicalSource, ctx: SourceContext): Promise<SigningCredentials> {
  switch (source.name) {
    case "Environment":
      if (!source.env) {
        throw new HelperError("no-credentials", `the profile ${ctx.profile} takes its credentials from the environment (credential_source = Environment), but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set`, "Set them, or change credential_source");
      }
      return envCredentials(source.env, ctx.now());
    case "EcsContainer":
      return containerCredentials(instanceContext(ctx));
    case "Ec2InstanceMetadata": {
      const outcome = await imdsCredentials(instanceContext(ctx));
      if (outcome.kind === "credentials") return outcome.credentials;
      throw new HelperError(
        outcome.kind === "no-answer" ? "unreachable" : "no-credentials",
        `the profile ${ctx.profile} takes its credentials from instance metadata (credential_source = Ec2InstanceMetadata), which ${outcome.kind === "no-answer" ? "did not answer" : "has no instance role"}`,
        "Run this on an EC2 instance with an instance role, or change credential_source",
      );
    }
  }
}

/** Nothing in the environment or the files: the container endpoint, else instance metadata. */
async function lastResort(ctx: SourceContext): Promise<SigningCredentials> {
  if (containerConfigured(ctx.env)) return containerCredentials(instanceContext(ctx));
  const looked = ["the environment", ...ctx.files].join(", ");
  // git runs the helper, so the profile is changed on its line (setup), not on a command line.
  const hint = `Run "aws configure --profile ${ctx.profile}", or "git-credential-codecommit setup --profile NAME" with a configured profile`;
  if (!imdsEnabled(ctx.env)) {
    throw new HelperError("no-credentials", `no AWS credentials found for profile ${ctx.profile} (looked in ${looked}; instance metadata is off by AWS_EC2_METADATA_DISABLED)`, hint);
  }
  const outcome = await imdsCredentials(instanceContext(ctx));
  if (outcome.kind === "credentials") return outcome.credentials;
  if (outcome.kind === "no-answer") {
    throw new HelperError(
      "no-credentials",
      `no AWS credentials found for profile ${ctx.profile} (looked in ${looked}), and instance metadata did not answer`,
      `${hint}; on a machine without an instance role, set AWS_EC2_METADATA_DISABLED=true`,
    );
  }
  throw new HelperError("no-credentials", `no AWS credentials found for profile ${ctx.profile} (looked in ${looked} and instance metadata)`, hint);
}

function instanceContext(ctx: SourceContext): InstanceContext {
  return { ...ctx, profile: ctx.profile };
}

function peer(ctx: SourceContext, name: Peer["name"], profile: string, region: string): Peer {
  return { name, profile, region, network: ctx.network, budgetMs: ctx.deadline.totalMs };
}
