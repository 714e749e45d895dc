/**
 * The configuration every AWS SDK client we create gets (STS, SSO): an explicit region and
 * endpoint (so the SDK never looks for one in the files), the proxy and CA agents for that
 * endpoint, timeouts drawn from the run's one network budget, and a logger that only traces.
 */
import { type EndpointConfig, resolveEndpoint } from "../aws-config/endpoint.js";
import type { Env } from "../env.js";
import { sdkLogger, type Tracer } from "../trace.js";
import type { Deadline } from "./deadline.js";
import { type NetworkSettings, requestAgents } from "./network.js";

/** What a client needs from the run. */
export interface NetworkContext {
  readonly env: Env;
  readonly trace: Tracer;
  readonly deadline: Deadline;
  readonly network: NetworkSettings;
  /** The CA bundle's PEM text, when one is configured (read on first use, once per run). */
  readonly ca: () => string | undefined;
}

/** Attempts per SDK call: retries for 5xx and throttling, all inside the one budget. */
const MAX_ATTEMPTS = 3;

/** Where STS requests for `region` go, and the region they are signed for (the global endpoint's is us-east-1). */
export interface ResolvedStsTarget {
  readonly region: string;
  readonly endpoint: URL;
  /** The URL was configured (environment or files), not derived from the region. */
  readonly configured: boolean;
}

/** STS's endpoint for calls in `region`, as botocore resolves it (src/aws-config/endpoint.ts). */
export function stsTarget(region: string, endpoints: EndpointConfig): ResolvedStsTarget {
  const resolved = resolveEndpoint("sts", region, endpoints);
  return { region: resolved.signingRegion, endpoint: new URL(resolved.url), configured: resolved.configured };
}

/**
 * Settings for an SDK client with every value the SDK would otherwise look up in the environment
 * or the shared files given explicitly (contract §6: the SDK re-reads no file).
 */
export function explicitClientSettings(region: string, endpoint: string | undefined): object {
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    maxAttempts: 2,
    retryMode: "standard",
    defaultsMode: "standard",
    authSchemePreference: [],
    userAgentAppId: async () => undefined,
  };
}

/** Client configuration for requests to `endpoint` in `region`. */
export async function clientConfig(ctx: NetworkContext, region: string, endpoint: URL) {
  return { ...explicitClientSettings(region, endpoint.toString().replace(/\/$/, "")), ...(await networkClientConfig(ctx, endpoint)) };
}

/**
 * The network part alone (proxy and CA agents for `endpoint`, timeouts, attempts, logger), for
 * clients that set their own region and endpoint (the SSO portal, OIDC and sign-in in src/sso/).
 */
export async function networkClientConfig(ctx: NetworkContext, endpoint: URL) {
  const agents = await requestAgents(endpoint, ctx.network, ctx.ca());
  // Each attempt may use what is left of the budget: a single slow answer inside it succeeds
  // (issue 9: attempts used to be cut at 3.5 s of an 8 s budget). The deadline aborts the rest.
  const remaining = Math.max(1, ctx.deadline.remainingMs());
  return {
    maxAttempts: MAX_ATTEMPTS,
    logger: sdkLogger(ctx.trace),
    requestHandler: { ...agents, connectionTimeout: remaining, requestTimeout: remaining, throwOnRequestTimeout: true },
  };
}
