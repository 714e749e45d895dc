/**
 * Every package this program loads lazily for network and token work: the AWS SDK clients, its
 * credential providers, the proxy agents and `debug`, each on first use. Nothing else imports them
 * (test/module-weight.test.ts), so the executable's split bundle keeps all of them out of the
 * chunks a warm `get` or `store` loads (scripts/build.mjs), and one look here says what
 * the heavy dependencies are.
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
