/**
 * Every package this program loads lazily for network and token work: the AWS SDK clients, its
 * credential providers, and the proxy agents. The native build makes this module a second bundle
 * inside the executable (scripts/build.mjs), so that a run that needs none of it (a warm `get`,
 * `store`, `erase`) does not pay to load its ~500 KB (issue 13). Each package is loaded on first
 * use, as before; sdk-loader.ts is how the rest of the program reaches them.
 */
export const packages = {
  "client-sts": () => import("@aws-sdk/client-sts"),
  "client-sso": () => import("@aws-sdk/client-sso"),
  "client-sso-oidc": () => import("@aws-sdk/client-sso-oidc"),
  "credential-providers": () => import("@aws-sdk/credential-providers"),
  "https-proxy-agent": () => import("https-proxy-agent"),
  "http-proxy-agent": () => import("http-proxy-agent"),
  debug: () => import("debug"),
};
