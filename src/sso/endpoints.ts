/**
 * Where the IAM Identity Center and sign-in calls go: the service-specific override
 * (`AWS_ENDPOINT_URL_SSO_OIDC`, `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SIGNIN`), else the global `AWS_ENDPOINT_URL`, unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true — botocore's order for environment endpoints.
 * Undefined means the SDK's regional default.
 */
import { ENV, type Env } from "../env.js";

/** The services whose endpoints can be configured: IAM Identity Center OIDC, the SSO portal, AWS sign-in. */
export type SsoService = "sso-oidc" | "sso" | "signin";

/** The configured endpoint URL for a service, or undefined for the regional default. */
export function configuredEndpoint(service: SsoService, env: Env): string | undefined {
  if ((env[ENV.ignoreConfiguredEndpoints] ?? "").toLowerCase() === "true") return undefined;
  const specific = env[service === "sso-oidc" ? ENV.ssoOidcEndpoint : service === "sso" ? ENV.ssoEndpoint : ENV.signinEndpoint];
  return specific || env[ENV.endpoint] || undefined;
}

/** The default host name of a service in a region, for messages (the SDK resolves the real one). */
export function defaultEndpoint(service: Exclude<SsoService, "signin">, region: string): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://${service === "sso-oidc" ? "oidc" : "portal.sso"}.${region}.${suffix}`;
}
