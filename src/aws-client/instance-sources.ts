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
import { sdkLogger, type Tracer } from "../trace.js";
import { type Deadline, DeadlineExceeded } from "./deadline.js";
import { sdkPackage } from "../sdk-loader.js";

/** botocore ContainerMetadataFetcher / InstanceMetadataFetcher default: 1 s per request. */
const REQUEST_TIMEOUT_MS = 1_000;
/**
 * Instance metadata as a whole: "no credentials anywhere" must be said within 2 s (contract §10),
 * and the IMDSv2 token request, its v1 fallback and the role lookups all fit in this.
 */
export const IMDS_BUDGET_MS = 1_800;

export interface InstanceContext {
  readonly env: Env;
  readonly trace: Tracer;
  readonly deadline: Deadline;
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
  const { fromHttp } = await sdkPackage("credential-providers");
  const provider = fromHttp({
    // Both given explicitly ("" for unset), so the provider never falls back to process.env.
    awsContainerCredentialsRelativeUri: env[ENV.containerRelativeUri] ?? "",
    awsContainerCredentialsFullUri: env[ENV.containerRelativeUri] ? "" : (env[ENV.containerFullUri] ?? ""),
    awsContainerAuthorizationToken: env[ENV.containerAuthToken] ?? "",
    awsContainerAuthorizationTokenFile: env[ENV.containerAuthTokenFile] ?? "",
    timeout: REQUEST_TIMEOUT_MS,
    maxRetries: 1,
    logger: sdkLogger(ctx.trace),
  });
  try {
    return identity(await ctx.deadline.race(provider()));
  } catch (err) {
    const timedOut = err instanceof DeadlineExceeded || /timeout|timed out|ETIMEDOUT|ECONNREFUSED|ECONNRESET|socket hang up/i.test(String((err as Error)?.message));
    throw new HelperError(
      timedOut ? "unreachable" : "credentials",
      `the container credentials endpoint ${containerEndpoint(env)} ${timedOut ? "did not answer" : "gave no usable credentials"}`,
      "Check AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI, or unset them outside a container",
      { cause: err },
    );
  }
}

/** What instance metadata gave: credentials, nothing (no instance role), or no answer at all. */
export type ImdsOutcome = { readonly kind: "credentials"; readonly credentials: SigningCredentials } | { readonly kind: "none" } | { readonly kind: "no-answer" };

/** Credentials from instance metadata, within {@link IMDS_BUDGET_MS}. */
export async function imdsCredentials(ctx: InstanceContext): Promise<ImdsOutcome> {
  const { fromInstanceMetadata } = await sdkPackage("credential-providers");
  const provider = fromInstanceMetadata({ timeout: REQUEST_TIMEOUT_MS, maxRetries: 0, profile: ctx.profile, logger: sdkLogger(ctx.trace) });
  try {
    return { kind: "credentials", credentials: identity(await ctx.deadline.race(provider(), IMDS_BUDGET_MS)) };
  } catch (err) {
    ctx.trace("instance metadata gave no credentials", { error: String((err as Error)?.message ?? err).split("\n")[0] });
    const message = String((err as Error)?.message ?? "");
    if (err instanceof DeadlineExceeded || /Unable to connect|timeout|timed out|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNREFUSED|socket hang up/i.test(message)) {
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
