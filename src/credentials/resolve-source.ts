/**
 * The one dispatcher over source kinds: a {@link CredentialSource}, decided from our reading of the
 * shared files (check-profile.ts), is executed by its file under sources/ into credentials, making
 * exactly the network call its source needs, with explicit parameters, inside the run's one budget.
 * aws-sdk-js-v3's credential-provider-ini has the same shape (resolveProfileData): one chain of
 * choices in one place, each leading to one provider.
 *
 * | source | file |
 * |---|---|
 * | env, static | sources/given-keys.ts (as given; an expired or unparsable AWS_CREDENTIAL_EXPIRATION refused) |
 * | assume-role | sources/assume-role.ts (role cache, else the source's credentials, recursively through here, + STS AssumeRole) |
 * | web-identity | sources/web-identity.ts (role cache for the selected profile only, else the token file + STS AssumeRoleWithWebIdentity) |
 * | sso | sources/sso.ts (the SSO token cache + SSO GetRoleCredentials) |
 * | process | sources/credential-process.ts (credential_process as botocore runs it) |
 * | login-session | sources/login-session.ts (the AWS CLI's `aws login` cache; the SDK refreshes) |
 * | container-or-imds | sources/container-or-imds.ts (the container endpoint when configured, else instance metadata) |
 * | canonical | sources/canonical.ts (a role's credential_source) |
 *
 * Credentials at hand on the warm path are looked up by at-hand.ts instead, which must not load
 * this module (it imports every source that fetches).
 */
import type { CanonicalSource, CredentialSource } from "../aws-config/credential-source.js";
import type { SigningCredentials } from "../password.js";
import type { SourceContext } from "./source-context.js";
import { assumeRoleCredentials } from "./sources/assume-role.js";
import { canonicalCredentials } from "./sources/canonical.js";
import { lastResort } from "./sources/container-or-imds.js";
import { processCredentials } from "./sources/credential-process.js";
import { envCredentials, staticCredentials } from "./sources/given-keys.js";
import { loginCredentials } from "./sources/login-session.js";
import { ssoCredentials } from "./sources/sso.js";
import { webIdentityCredentials } from "./sources/web-identity.js";

export type { SourceContext } from "./source-context.js";

/**
 * The credentials `source` yields. `hop`: the source is the source profile of a role (a hop of a
 * chain), not the one the run selected.
 */
export async function resolveSource(
  source: CredentialSource | CanonicalSource,
  ctx: SourceContext,
  hop = false,
): Promise<SigningCredentials> {
  switch (source.kind) {
    case "env":
      return envCredentials(source, ctx.now());
    case "static":
      return staticCredentials(source);
    case "assume-role":
      return assumeRoleCredentials(source, ctx, (from) => resolveSource(from, ctx, true));
    case "web-identity":
      return webIdentityCredentials(source, ctx, hop);
    case "sso":
      return ssoCredentials(source, ctx);
    case "process":
      return processCredentials({
        profile: source.profile,
        command: source.command,
        env: ctx.env,
        now: ctx.now(),
        signal: AbortSignal.timeout(ctx.processTimeoutMs),
      });
    case "login-session":
      return loginCredentials(source, ctx);
    case "container-or-imds":
      return lastResort(ctx);
    case "canonical":
      return canonicalCredentials(source, ctx);
  }
}
