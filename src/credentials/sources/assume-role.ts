/**
 * A role profile (`role_arn` with `source_profile` or `credential_source`): botocore's
 * AssumeRoleProvider, sharing its sessions with the AWS CLI through the CLI's role cache.
 */
import type { AssumeRoleSource, CanonicalSource, CredentialSource } from "../../aws-config/credential-source.js";
import { HelperError } from "../../errors.js";
import type { SigningCredentials } from "../../password.js";
import { stsTarget } from "../../aws-client/aws-client-config.js";
import { explainCredentialError } from "../../aws-client/explain-error.js";
import { assumeRole } from "../../aws-client/sts.js";
import { cliRequest, roleArgs } from "../../session-cache/assume-role-request.js";
import { cachedSession } from "../../session-cache/cached-session.js";
import { roleSessionEntry } from "../session-entry.js";
import { peer, type SourceContext } from "../source-context.js";

/** How the credentials of the role's source profile are got: the one dispatcher, passed in so no import runs back to it. */
export type HopCredentials = (source: CredentialSource | CanonicalSource) => Promise<SigningCredentials>;

/**
 * One role hop: the cache entry when fresh (the source is then not even resolved, as lazily as the
 * AWS CLI); otherwise, under the cache lock, the source's credentials, the MFA code if the profile
 * has `mfa_serial` (asked only now, on a miss), and AssumeRole.
 */
export async function assumeRoleCredentials(
  source: AssumeRoleSource,
  ctx: SourceContext,
  hopCredentials: HopCredentials,
): Promise<SigningCredentials> {
  const args = roleArgs(source);
  const region = source.region || ctx.hostRegion;
  const target = stsTarget(region, ctx.endpoints);
  const endpoint = target.endpoint;
  const mfaSerial = source.mfaSerial;
  const { key, label } = roleSessionEntry(source);
  const session = await cachedSession(ctx.cache, key, { label, mfa: mfaSerial !== undefined }, async () => {
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
    const from = await hopCredentials(source.source);
    const tokenCode = mfaSerial !== undefined ? ctx.promptMfa(mfaSerial, source.profile) : undefined;
    try {
      return await assumeRole(ctx, target, from, cliRequest(args, ctx.now(), tokenCode));
    } catch (err) {
      throw explainCredentialError(err, { ...peer(ctx, "STS", source.profile, region), endpoint, roleArn: source.roleArn });
    }
  });
  return session;
}
