/**
 * What every AWS client of a command is made with (clients.ts makes them): the proxy and CA
 * settings, read once per command exactly as `get` reads them, the run's budget when there is one,
 * and the tracer; and where STS is.
 */
import { type EndpointConfig, resolveEndpoint } from "../aws-config/endpoint.js";
import type { Env } from "../env.js";
import type { Tracer } from "../trace.js";
import type { Deadline } from "./deadline.js";
import { type NetworkSettings, networkSettings, readCaBundle } from "./network.js";
import { systemProxyReader } from "./system-proxy.js";

/** What a client needs from the command that makes it. */
export interface ClientContext {
  readonly env: Env;
  readonly trace: Tracer;
  readonly network: NetworkSettings;
  /** The CA bundle's PEM text, when one is configured (read on first use, once per command). */
  readonly ca: () => string | undefined;
  /**
   * The run's budget: each request may use what is left of it. Absent for a command that waits on
   * a person between its calls (login), whose calls are each bounded on their own.
   */
  readonly deadline?: Deadline;
  /**
   * What decides each endpoint (src/aws-config/endpoint.ts): the selected profile's settings, as
   * botocore's clients all read the session's profile; absent, the environment alone decides.
   */
  readonly endpoints?: EndpointConfig | undefined;
}

/** A client context within a run's budget (`get`'s, doctor's). */
export interface NetworkContext extends ClientContext {
  readonly deadline: Deadline;
}

/**
 * The client context of a command whose selected profile is `profile` (with its `ca_bundle`, if
 * any): the proxy variables and the CA as botocore takes them, the CA file read on first use.
 */
export function clientContext(
  env: Env,
  trace: Tracer,
  profile: { readonly name: string; readonly caBundle?: string | undefined },
  deadline?: Deadline,
  endpoints?: EndpointConfig,
): ClientContext {
  // The system proxy (macOS, Windows) is read only here, on the way to the network: it may take a command.
  const network = networkSettings(env, profile, systemProxyReader(process.platform));
  let ca: { text: string | undefined } | undefined;
  return {
    env,
    trace,
    network,
    ca: () => (ca ??= { text: readCaBundle(network) }).text,
    ...(deadline ? { deadline } : {}),
    ...(endpoints ? { endpoints } : {}),
  };
}

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
