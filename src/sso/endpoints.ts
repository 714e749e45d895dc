/**
 * Where the IAM Identity Center and sign-in calls go, as botocore resolves it (one resolver for
 * every service: src/aws-config/endpoint.ts). Here only the environment is consulted: these
 * clients are made where no profile's settings are at hand.
 */
import { configuredEndpointUrl, regionalEndpoint } from "../aws-config/endpoint.js";
import type { Env } from "../env.js";

/** The services whose endpoints can be configured: IAM Identity Center OIDC, the SSO portal, AWS sign-in. */
export type SsoService = "sso-oidc" | "sso" | "signin";

/** The configured endpoint URL for a service, or undefined for the regional default. */
export function configuredEndpoint(service: SsoService, env: Env): string | undefined {
  return configuredEndpointUrl(service, { env });
}

/** The default endpoint of a service in a region (FIPS and dual-stack forms included), for messages and proxy decisions. */
export function defaultEndpoint(service: SsoService, region: string, env: Env = {}): string {
  return regionalEndpoint(service, region, { env }).url;
}
