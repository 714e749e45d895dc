/**
 * Where the IAM Identity Center and sign-in calls go, as botocore resolves it (one resolver for
 * every service: src/aws-config/endpoint.ts). `get` passes the selected profile's settings, as
 * botocore's SSO clients read the session's profile; where none are at hand the environment decides.
 */
import { configuredEndpointUrl, type EndpointConfig, regionalEndpoint } from "../aws-config/endpoint.js";
import type { Env } from "../env.js";

/** The services whose endpoints can be configured: IAM Identity Center OIDC, the SSO portal, AWS sign-in. */
export type SsoService = "sso-oidc" | "sso" | "signin";

/** What decides an endpoint: the run's settings when known, else the environment alone. */
export interface EndpointSource {
  readonly env: Env;
  readonly endpoints?: EndpointConfig | undefined;
}

/** The configured endpoint URL for a service, or undefined for the regional default. */
export function configuredEndpoint(service: SsoService, from: EndpointSource): string | undefined {
  return configuredEndpointUrl(service, from.endpoints ?? { env: from.env });
}

/** The default endpoint of a service in a region (FIPS and dual-stack forms included), for messages and proxy decisions. */
export function defaultEndpoint(service: SsoService, region: string, from: EndpointSource): string {
  return regionalEndpoint(service, region, from.endpoints ?? { env: from.env }).url;
}
