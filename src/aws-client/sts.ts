/**
 * Every STS call this program makes, through the public `@aws-sdk/client-sts` with every parameter
 * explicit, each within the caller's budget: AssumeRole (role profiles, each hop of a chain) and
 * AssumeRoleWithWebIdentity (web identity) for `get`, and GetCallerIdentity for `doctor`. Loaded
 * only when a call is made.
 */
import type { AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import type { SigningCredentials } from "../password.js";
import type { NetworkContext } from "./aws-client-config.js";
import { stsClient } from "./clients.js";
import { sdkPackage } from "../runtime/sdk-loader.js";

/** A session STS issued: the four credential fields, and the account of the assumed role. */
export interface StsSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly accountId?: string;
}

/** The rest of an AssumeRole response, which the AWS CLI's cache keeps beside the credentials. */
export interface StsExtras {
  readonly assumedRoleUser?: { readonly AssumedRoleId?: string; readonly Arn?: string };
  readonly requestId?: string;
}

/** Where and how to call STS. */
export interface StsTarget {
  readonly region: string;
  readonly endpoint: URL;
}

/** AssumeRole with `source`'s credentials; the whole response, for the AWS CLI's cache format. */
export async function assumeRole(
  ctx: NetworkContext,
  target: StsTarget,
  source: SigningCredentials,
  request: AssumeRoleCommandInput,
): Promise<{ credentials: StsSession; extras: StsExtras }> {
  const { AssumeRoleCommand } = await sdkPackage("client-sts");
  const client = await stsClient(ctx, targetOf(target), source);
  try {
    const out = await ctx.deadline.race(client.send(new AssumeRoleCommand(request), { abortSignal: ctx.deadline.signal }));
    return {
      credentials: sessionOf(out.Credentials, out.AssumedRoleUser?.Arn),
      extras: extrasOf(out.AssumedRoleUser, out.$metadata.requestId),
    };
  } finally {
    client.destroy();
  }
}

/** AssumeRoleWithWebIdentity: unsigned, the token is the proof. The whole response, for the cache. */
export async function assumeRoleWithWebIdentity(
  ctx: NetworkContext,
  target: StsTarget,
  request: { readonly RoleArn: string; readonly RoleSessionName: string; readonly WebIdentityToken: string },
): Promise<{ credentials: StsSession; extras: StsExtras }> {
  const { AssumeRoleWithWebIdentityCommand } = await sdkPackage("client-sts");
  // The operation needs no signature: the client gets no credentials.
  const client = await stsClient(ctx, targetOf(target));
  try {
    const out = await ctx.deadline.race(client.send(new AssumeRoleWithWebIdentityCommand(request), { abortSignal: ctx.deadline.signal }));
    return {
      credentials: sessionOf(out.Credentials, out.AssumedRoleUser?.Arn),
      extras: extrasOf(out.AssumedRoleUser, out.$metadata.requestId),
    };
  } finally {
    client.destroy();
  }
}

/** What GetCallerIdentity tells doctor. */
export interface IdentityResult {
  readonly identity?: { readonly arn: string; readonly account: string };
  /** The Date header of the last STS response, if one came (doctor compares the clock with it). */
  readonly date?: Date;
  readonly error?: unknown;
}

/** GetCallerIdentity with `credentials`; never throws: a failure is the result's `error`. */
export async function callerIdentity(ctx: NetworkContext, target: StsTarget, credentials: SigningCredentials): Promise<IdentityResult> {
  const { GetCallerIdentityCommand } = await sdkPackage("client-sts");
  let date: Date | undefined;
  try {
    const client = await stsClient(ctx, targetOf(target), credentials);
    // Innermost in the deserialize step: sees the raw response, error responses included.
    client.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const header = (out.response as { headers?: Record<string, string> }).headers?.date;
        const parsed = header ? new Date(header) : undefined;
        if (parsed && !Number.isNaN(parsed.getTime())) date = parsed;
        return out;
      },
      { step: "deserialize", priority: "low", name: "doctorResponseDate" },
    );
    try {
      const r = await ctx.deadline.race(client.send(new GetCallerIdentityCommand({}), { abortSignal: ctx.deadline.signal }));
      return { identity: { arn: r.Arn ?? "(no ARN)", account: r.Account ?? "(no account)" }, ...(date ? { date } : {}) };
    } finally {
      client.destroy();
    }
  } catch (error) {
    return { error, ...(date ? { date } : {}) };
  }
}

/** STS's endpoint is always resolved by us (stsEndpoint), so it is always given to the SDK. */
function targetOf(target: StsTarget) {
  return { region: target.region, url: target.endpoint, configured: true };
}

/** A reply without the four credential fields is an error from AWS, not a session. */
export class MalformedReply extends Error {
  override readonly name = "MalformedReply";
}

function sessionOf(
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined,
  arn: string | undefined,
): StsSession {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || Number.isNaN(c.Expiration.getTime())) {
    throw new MalformedReply("STS answered without complete credentials");
  }
  const accountId = arn?.split(":")[4];
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
    ...(accountId ? { accountId } : {}),
  };
}

function extrasOf(user: { AssumedRoleId?: string; Arn?: string } | undefined, requestId: string | undefined): StsExtras {
  return {
    ...(user ? { assumedRoleUser: { AssumedRoleId: user.AssumedRoleId, Arn: user.Arn } } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
