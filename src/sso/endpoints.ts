/**
 * Where the IAM Identity Center and sign-in calls go, as botocore resolves it (one resolver for
 * every service: src/aws-config/endpoint.ts). `get` passes the selected profile's settings, as
 * botocore's SSO clients read the session's profile; where none are at hand the environment decides.
 */
import type { Target } from "../aws-client/clients.js";
import { type EndpointConfig, resolveEndpoint } from "../aws-config/endpoint.js";
import type { Env } from "../env.js";

/** The services whose endpoints can be configured: IAM Identity Center OIDC, the SSO portal, AWS sign-in. */
export type SsoService = "sso-oidc" | "sso" | "signin";

/** What decides an endpoint: the run's settings when known, else the environment alone. */
export interface EndpointSource {
  readonly env: Env;
  readonly endpoints?: EndpointConfig | undefined;
}

/** Where a client's requests go, and that URL as configured or derived, for messages. */
export interface SsoTarget extends Target {
  readonly text: string;
}

/** The endpoint of `service` in `region`: the configured URL, else the region's (FIPS and dual-stack forms included). */
export function ssoEndpoint(service: SsoService, region: string, from: EndpointSource): SsoTarget {
  const resolved = resolveEndpoint(service, region, from.endpoints ?? { env: from.env });
  return { region, url: new URL(resolved.url), configured: resolved.configured, text: resolved.url };
}
