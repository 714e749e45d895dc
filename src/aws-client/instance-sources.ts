/**
 * The last two sources of botocore's chain, and `credential_source = EcsContainer |
 * Ec2InstanceMetadata`: the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 * or _FULL_URI) and instance metadata. Both through the SDK's providers, with the endpoint, token
 * and timeouts passed explicitly, and bounded by the run's budget.
 *
 * As in botocore, neither goes through a proxy: its ContainerMetadataFetcher uses no proxies, and
 * its IMDS fetcher honours only the environment's (the SDK's IMDS client takes no agent; listed
 * in the README as a difference). Where the SDK's IMDS provider reads `ec2_metadata_service_endpoint`
 * itself, it reads the same files we do.
 */
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { SigningCredentials } from "../password.js";
import type { NetworkContext } from "./aws-client-config.js";
import { containerProvider, imdsProvider } from "./clients.js";
import { DeadlineExceeded } from "./deadline.js";
import { IMDS_BUDGET_MS } from "./limits.js";

export interface InstanceContext extends NetworkContext {
  /** The selected profile, for the SDK's own IMDS settings lookup. */
  readonly profile: string;
}

/** Whether a container credentials endpoint is configured (botocore ContainerProvider). */
export function containerConfigured(env: Env): boolean {
  return !!(env[ENV.containerRelativeUri] || env[ENV.containerFullUri]);
}

/** Whether instance metadata may be asked (botocore: AWS_EC2_METADATA_DISABLED=true turns it off). */
export function imdsEnabled(env: Env): boolean {
  return (env[ENV.ec2MetadataDisabled] ?? "false").toLowerCase() !== "true";
}

/** The container endpoint as configured, for messages (the relative URI on 169.254.170.2). */
export function containerEndpoint(env: Env): string {
  return env[ENV.containerRelativeUri] ? `http://169.254.170.2${env[ENV.containerRelativeUri]}` : (env[ENV.containerFullUri] ?? "");
}

/** Credentials from the container endpoint. */
export async function containerCredentials(ctx: InstanceContext): Promise<SigningCredentials> {
  const { env } = ctx;
  const provider = await containerProvider(ctx, {
    // Every value given explicitly ("" for unset), so the provider never falls back to process.env.
    relativeUri: env[ENV.containerRelativeUri] ?? "",
    fullUri: env[ENV.containerRelativeUri] ? "" : (env[ENV.containerFullUri] ?? ""),
    authToken: env[ENV.containerAuthToken] ?? "",
    authTokenFile: env[ENV.containerAuthTokenFile] ?? "",
  });
  try {
    return identity(await ctx.deadline.race(provider()));
  } catch (err) {
    const timedOut =
      err instanceof DeadlineExceeded ||
      /timeout|timed out|ETIMEDOUT|ECONNREFUSED|ECONNRESET|socket hang up/i.test(String((err as Error)?.message));
    throw new HelperError(
      timedOut ? "unreachable" : "credentials",
      `the container credentials endpoint ${containerEndpoint(env)} ${timedOut ? "did not answer" : "gave no usable credentials"}`,
      "Check AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI, or unset them outside a container",
      { cause: err },
    );
  }
}

/** What instance metadata gave: credentials, nothing (no instance role), or no answer at all. */
export type ImdsOutcome =
  | { readonly kind: "credentials"; readonly credentials: SigningCredentials }
  | { readonly kind: "none" }
  | { readonly kind: "no-answer" };

/** Credentials from instance metadata, within {@link IMDS_BUDGET_MS}. */
export async function imdsCredentials(ctx: InstanceContext): Promise<ImdsOutcome> {
  const provider = await imdsProvider(ctx, ctx.profile);
  try {
    return { kind: "credentials", credentials: identity(await ctx.deadline.race(provider(), IMDS_BUDGET_MS)) };
  } catch (err) {
    ctx.trace("instance metadata gave no credentials", { error: String((err as Error)?.message ?? err).split("\n")[0] });
    const message = String((err as Error)?.message ?? "");
    if (
      err instanceof DeadlineExceeded ||
      /Unable to connect|timeout|timed out|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNREFUSED|socket hang up/i.test(message)
    ) {
      return { kind: "no-answer" };
    }
    return { kind: "none" };
  }
}

function identity(c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }): SigningCredentials {
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration ? { expiration: c.expiration } : {}),
  };
}
