/**
 * The one place an AWS SDK client or credential provider is made: STS, the SSO portal, IAM
 * Identity Center OIDC, AWS sign-in (through the SDK's login provider), the container endpoint and
 * instance metadata. Every client gets the same settings from here: an explicit region and
 * endpoint (src/aws-config/endpoint.ts resolves it), every value the SDK would otherwise look up in the environment
 * or the shared files given explicitly (the SDK re-reads no file), the proxy and CA agents for its
 * endpoint, attempts and timeouts from src/aws-client/limits.ts, and a logger that only traces.
 *
 * `get`, `login`, `doctor` and the helper runs `clone` and the remote helper start all come through
 * here, so a proxy or a private CA that works for one works for all of them. Loaded only on the
 * network path: a warm `get` never reaches this file (test/module-weight.test.ts).
 */
import type { SSOClient } from "@aws-sdk/client-sso";
import type { SSOOIDCClient } from "@aws-sdk/client-sso-oidc";
import type { STSClient } from "@aws-sdk/client-sts";
import type { SigningCredentials } from "../password.js";
import { sdkPackage } from "../runtime/sdk-loader.js";
import { sdkLogger } from "../trace.js";
import type { ClientContext } from "./aws-client-config.js";
import {
  CONTAINER_RETRIES,
  IMDS_RETRIES,
  LOGIN_CONNECT_TIMEOUT_MS,
  LOGIN_REQUEST_TIMEOUT_MS,
  METADATA_REQUEST_TIMEOUT_MS,
  SDK_ATTEMPTS,
} from "./limits.js";
import { requestAgents } from "./network.js";

/** Where a client's requests go. */
export interface Target {
  readonly region: string;
  /** The URL requests go to: decides the proxy, and is named in messages. */
  readonly url: URL;
  /** Whether `url` was configured (environment or files) rather than derived from the region: messages say so. */
  readonly configured: boolean;
}

/** The settings every client gets: region and endpoint, no lookups, network, attempts, logger. */
async function settings(ctx: ClientContext, target: Target) {
  const agents = await requestAgents(target.url, ctx.network, ctx.ca());
  // Within a run's budget each attempt may use what is left of it: a single slow answer inside it
  // succeeds, and the budget's abort signal ends the rest. Without one (login, between waits on a
  // person) each call has its own bounds.
  const remaining = ctx.deadline ? Math.max(1, ctx.deadline.remainingMs()) : undefined;
  return {
    region: target.region,
    // Always explicit: the SDK left to itself would read endpoint variables without the profile's
    // settings (src/aws-config/endpoint.ts is the one resolver).
    endpoint: target.url.toString().replace(/\/$/, ""),
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    maxAttempts: SDK_ATTEMPTS,
    retryMode: "standard" as const,
    defaultsMode: "standard" as const,
    authSchemePreference: [] as string[],
    userAgentAppId: async () => undefined,
    logger: sdkLogger(ctx.trace),
    requestHandler: {
      ...agents,
      connectionTimeout: remaining ?? LOGIN_CONNECT_TIMEOUT_MS,
      requestTimeout: remaining ?? LOGIN_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}

/**
 * An STS client signing with `credentials`; none for the unsigned AssumeRoleWithWebIdentity (empty
 * ones are given so that the client never looks for any).
 */
export async function stsClient(ctx: ClientContext, target: Target, credentials?: SigningCredentials): Promise<STSClient> {
  const { STSClient } = await sdkPackage("client-sts");
  const signing = credentials
    ? {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      }
    : { accessKeyId: "", secretAccessKey: "" };
  return new STSClient({ ...(await settings(ctx, target)), credentials: signing });
}

/** A client of the SSO portal (GetRoleCredentials: the access token is the proof, no signature). */
export async function ssoClient(ctx: ClientContext, target: Target): Promise<SSOClient> {
  const { SSOClient } = await sdkPackage("client-sso");
  return new SSOClient(await settings(ctx, target));
}

/** A client of IAM Identity Center OIDC (its calls are unsigned: the SDK marks them noAuth). */
export async function oidcClient(ctx: ClientContext, target: Target): Promise<SSOOIDCClient> {
  const { SSOOIDCClient } = await sdkPackage("client-sso-oidc");
  return new SSOOIDCClient(await settings(ctx, target));
}

/**
 * The SDK's provider for an `aws login` session (its DPoP-signed refresh is public only as this
 * provider), whose sign-in client gets our settings.
 */
export async function loginSessionProvider(ctx: ClientContext, target: Target, profile: string) {
  const { fromLoginCredentials } = await sdkPackage("credential-providers");
  return fromLoginCredentials({ profile, logger: sdkLogger(ctx.trace), clientConfig: await settings(ctx, target) });
}

/** What the container endpoint provider is given, every value explicit ("" for unset). */
export interface ContainerEndpoint {
  readonly relativeUri: string;
  readonly fullUri: string;
  readonly authToken: string;
  readonly authTokenFile: string;
}

/**
 * The container credentials endpoint's provider. As in botocore (its ContainerMetadataFetcher uses
 * no proxies), it never goes through a proxy.
 */
export async function containerProvider(ctx: ClientContext, endpoint: ContainerEndpoint) {
  const { fromHttp } = await sdkPackage("credential-providers");
  return fromHttp({
    awsContainerCredentialsRelativeUri: endpoint.relativeUri,
    awsContainerCredentialsFullUri: endpoint.fullUri,
    awsContainerAuthorizationToken: endpoint.authToken,
    awsContainerAuthorizationTokenFile: endpoint.authTokenFile,
    timeout: METADATA_REQUEST_TIMEOUT_MS,
    maxRetries: CONTAINER_RETRIES,
    logger: sdkLogger(ctx.trace),
  });
}

/**
 * Instance metadata's provider (the SDK's IMDS client takes no agent, so no proxy; botocore's IMDS
 * fetcher honours only the environment's — a difference listed in the README). `profile`: the
 * SDK reads that profile's `ec2_metadata_service_endpoint` itself, from the same files we read.
 */
export async function imdsProvider(ctx: ClientContext, profile: string) {
  const { fromInstanceMetadata } = await sdkPackage("credential-providers");
  return fromInstanceMetadata({ timeout: METADATA_REQUEST_TIMEOUT_MS, maxRetries: IMDS_RETRIES, profile, logger: sdkLogger(ctx.trace) });
}
