/**
 * The two STS calls credential resolution makes, through the public `@aws-sdk/client-sts` with
 * every parameter explicit: AssumeRole (role profiles, each hop of a chain) and
 * AssumeRoleWithWebIdentity (web identity). Loaded only when a call is made.
 */
import type { SigningCredentials } from "../password.js";
import type { AssumeRoleRequest } from "../credentials/assume-role-request.js";
import { clientConfig, type NetworkContext } from "./aws-client-config.js";
import type { CacheExtras, CachedCredentials } from "../credentials/role-cache.js";
import { sdkPackage } from "../sdk-loader.js";

/** Where and how to call STS. */
export interface StsTarget {
  readonly region: string;
  readonly endpoint: URL;
}

/** AssumeRole with `source`'s credentials; the whole response, for the AWS CLI's cache format. */
export async function assumeRole(ctx: NetworkContext, target: StsTarget, source: SigningCredentials, request: AssumeRoleRequest): Promise<{ credentials: CachedCredentials; extras: CacheExtras }> {
  const { STSClient, AssumeRoleCommand } = await sdkPackage("client-sts");
  const client = new STSClient({
    ...(await clientConfig(ctx, target.region, target.endpoint)),
    credentials: { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}) },
  });
  try {
    const out = await ctx.deadline.race(client.send(new AssumeRoleCommand(request), { abortSignal: ctx.deadline.signal }));
    return { credentials: sessionOf(out.Credentials, out.AssumedRoleUser?.Arn), extras: extrasOf(out.AssumedRoleUser, out.$metadata.requestId) };
  } finally {
    client.destroy();
  }
}

/** AssumeRoleWithWebIdentity: unsigned, the token is the proof. The whole response, for the cache. */
export async function assumeRoleWithWebIdentity(
  ctx: NetworkContext,
  target: StsTarget,
  request: { readonly RoleArn: string; readonly RoleSessionName: string; readonly WebIdentityToken: string },
): Promise<{ credentials: CachedCredentials; extras: CacheExtras }> {
  const { STSClient, AssumeRoleWithWebIdentityCommand } = await sdkPackage("client-sts");
  // The operation needs no signature; credentials are given so the client never looks for any.
  const client = new STSClient({ ...(await clientConfig(ctx, target.region, target.endpoint)), credentials: { accessKeyId: "", secretAccessKey: "" } });
  try {
    const out = await ctx.deadline.race(client.send(new AssumeRoleWithWebIdentityCommand(request), { abortSignal: ctx.deadline.signal }));
    return { credentials: sessionOf(out.Credentials, out.AssumedRoleUser?.Arn), extras: extrasOf(out.AssumedRoleUser, out.$metadata.requestId) };
  } finally {
    client.destroy();
  }
}

/** A reply without the four credential fields is an error from AWS, not a session. */
export class MalformedReply extends Error {
  override readonly name = "MalformedReply";
}

function sessionOf(
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined,
  arn: string | undefined,
): CachedCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || Number.isNaN(c.Expiration.getTime())) {
    throw new MalformedReply("STS answered without complete credentials");
  }
  const accountId = arn?.split(":")[4];
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration, ...(accountId ? { accountId } : {}) };
}

function extrasOf(user: { AssumedRoleId?: string; Arn?: string } | undefined, requestId: string | undefined): CacheExtras {
  return {
    ...(user ? { assumedRoleUser: { AssumedRoleId: user.AssumedRoleId, Arn: user.Arn } } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
