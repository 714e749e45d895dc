/**
 * What every AWS client of a command is made with (clients.ts makes them): the proxy and CA
 * settings, read once per command exactly as `get` reads them, the run's budget when there is one,
 * and the tracer; and where STS is.
 */
import { ENV, type Env } from "../env.js";
import type { Tracer } from "../trace.js";
import type { Deadline } from "./deadline.js";
import { type NetworkSettings, networkSettings, readCaBundle } from "./network.js";

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
}

/** A client context within a run's budget (`get`'s, doctor's). */
export interface NetworkContext extends ClientContext {
  readonly deadline: Deadline;
}

/**
 * The client context of a command whose selected profile is `profile` (with its `ca_bundle`, if
 * any): the proxy variables and the CA as botocore takes them, the CA file read on first use.
 */
export function clientContext(env: Env, trace: Tracer, profile: { readonly name: string; readonly caBundle?: string | undefined }, deadline?: Deadline): ClientContext {
  const network = networkSettings(env, profile);
  let ca: { text: string | undefined } | undefined;
  return { env, trace, network, ca: () => (ca ??= { text: readCaBundle(network) }).text, ...(deadline ? { deadline } : {}) };
}

/** STS's endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's endpoint_url, else regional. */
export function stsEndpoint(region: string, env: Env, profileSettings: Readonly<Record<string, string>> = {}): URL {
  const configured = env[ENV.stsEndpoint] || env[ENV.endpoint] || profileSettings.endpoint_url;
  if (configured) return new URL(configured);
  return new URL(`https://sts.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`);
}
