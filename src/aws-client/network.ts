/**
 * Proxies and private CAs, read as the AWS CLI reads them (README, "Proxies and certificates"):
 * `https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY`, `no_proxy`/`NO_PROXY` (Python's
 * `urllib.request.getproxies` and `proxy_bypass_environment`, which botocore's
 * `get_environ_proxies` uses), and the CA bundle from `AWS_CA_BUNDLE`, else the profile's
 * `ca_bundle` (botocore's config chain for `ca_bundle`).
 *
 * This file decides; {@link requestAgents} builds the Node agents the SDK's HTTP handler is given.
 * Proxy tunnelling (CONNECT for https) is the `https-proxy-agent` package's, which works the same in
 * Node and in the compiled Bun binary (test/e2e/proxy.test.ts runs both).
 */
import { nodeFs } from "../runtime/node-fs.js";
import type { Agent } from "node:http";
import type { HttpsProxyAgent as ProxyAgentType } from "https-proxy-agent";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import { sdkPackage } from "../runtime/sdk-loader.js";
import { type SystemProxy, systemBypasses } from "./system-proxy.js";

/** The network settings of one run, with where each came from (named in error messages). */
export interface NetworkSettings {
  /** Proxy URL per scheme ("http", "https"), as botocore would use it; absent when unset. */
  readonly proxies: Readonly<Record<string, string>>;
  /** The raw no_proxy list, when set. */
  readonly noProxy?: string;
  /** The operating system's proxy settings, used when no proxy variable is set (botocore's urllib). */
  readonly system?: SystemProxy;
  /** The CA bundle file and the setting that named it. */
  readonly caBundle?: { readonly file: string; readonly setting: string };
}

/**
 * The proxy variables as Python's `getproxies_environment` reads them: any `<scheme>_proxy` in
 * any case, then the all-lower-case spelling again so that it wins (an empty lower-case one
 * removes the scheme). Under CGI (`REQUEST_METHOD` set) an upper-case `HTTP_PROXY` is ignored.
 */
export function environmentProxies(env: Env): Record<string, string> {
  const proxies: Record<string, string> = {};
  const entries = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (value && lower.endsWith("_proxy")) proxies[lower.slice(0, -6)] = value;
  }
  if (env[ENV.cgiRequestMethod] !== undefined) delete proxies.http;
  for (const [name, value] of entries) {
    if (!name.endsWith("_proxy")) continue;
    const scheme = name.toLowerCase().slice(0, -6);
    if (value) proxies[scheme] = value;
    else delete proxies[scheme];
  }
  return proxies;
}

/**
 * The settings in effect for a run whose selected profile has `profileCaBundle` (if any). As
 * urllib's `getproxies()`, the system's proxy (`systemProxy`, src/aws-client/system-proxy.ts) counts only when
 * no `*_proxy` variable at all is set, `no_proxy` included.
 */
export function networkSettings(
  env: Env,
  profile: { readonly name: string; readonly caBundle?: string | undefined },
  systemProxy?: () => SystemProxy | undefined,
): NetworkSettings {
  const fromEnv = environmentProxies(env);
  const system = Object.keys(fromEnv).length === 0 ? systemProxy?.() : undefined;
  const all = system ? system.proxies : fromEnv;
  const proxies: Record<string, string> = {};
  if (all.https) proxies.https = all.https;
  if (all.http) proxies.http = all.http;
  const envCa = env[ENV.caBundle];
  const caBundle = envCa
    ? { file: envCa, setting: ENV.caBundle }
    : profile.caBundle
      ? { file: profile.caBundle, setting: `ca_bundle in profile ${profile.name}` }
      : undefined;
  return { proxies, ...(all.no ? { noProxy: all.no } : {}), ...(system ? { system } : {}), ...(caBundle ? { caBundle } : {}) };
}

/**
 * Python's `proxy_bypass_environment`: `*` bypasses everything; otherwise each comma-separated
 * name (leading dots ignored, case-insensitive) matches the host, with or without its port, or
 * any host ending in `.name`. (No CIDR ranges: botocore notes that urllib does not support them.)
 */
export function bypassesProxy(hostPort: string, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  if (noProxy === "*") return true;
  const host = hostPort.toLowerCase();
  const hostOnly = host.replace(/:\d*$/, "");
  for (const raw of noProxy.split(",")) {
    const name = raw.trim().replace(/^\.+/, "").toLowerCase();
    if (!name) continue;
    if (hostOnly === name || host === name) return true;
    if (hostOnly.endsWith(`.${name}`) || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** botocore's `_fix_proxy_url`: a proxy given without a scheme is an http:// one. */
export function proxyUrl(raw: string): string {
  if (raw.startsWith("http:") || raw.startsWith("https:")) return raw;
  if (raw.startsWith("//")) return `http:${raw}`;
  return `http://${raw}`;
}

/** The proxy a request to `url` goes through, or undefined for a direct connection. */
export function proxyFor(url: URL, settings: NetworkSettings): string | undefined {
  const scheme = url.protocol.replace(/:$/, "");
  const proxy = settings.proxies[scheme];
  if (!proxy) return undefined;
  if (settings.system ? systemBypasses(url.host, settings.system) : bypassesProxy(url.host, settings.noProxy)) return undefined;
  return proxyUrl(proxy);
}

/** A proxy URL as it may be shown: without any user name or password it carries. */
export function displayProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(an unparsable proxy URL)";
  }
}

/** The settings in effect for a request to `url`, in words, for error messages. */
export function describeNetwork(url: URL | undefined, settings: NetworkSettings): string {
  const parts: string[] = [];
  const proxy = url ? proxyFor(url, settings) : undefined;
  const proxySetting = settings.system?.source ?? (url?.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY");
  if (proxy) parts.push(`through proxy ${displayProxy(proxy)} (${proxySetting})`);
  else if (url && settings.proxies[url.protocol.replace(/:$/, "")])
    parts.push(settings.system ? `directly (an exception in the ${settings.system.source})` : `directly (NO_PROXY=${settings.noProxy})`);
  if (settings.caBundle) parts.push(`trusting only the CAs in ${settings.caBundle.file} (${settings.caBundle.setting})`);
  return parts.join(", ");
}

/** The PEM text of the CA bundle, read once; a missing or empty file is an error naming the setting. */
export function readCaBundle(settings: NetworkSettings): string | undefined {
  const ca = settings.caBundle;
  if (!ca) return undefined;
  let text: string;
  try {
    text = nodeFs().readFileSync(ca.file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new HelperError(
      "network-config",
      `the CA bundle ${ca.file} given by ${ca.setting} cannot be read (${code})`,
      `Point ${ca.setting.split(" ")[0]} at a readable PEM file, or unset it`,
    );
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new HelperError(
      "network-config",
      `the CA bundle ${ca.file} given by ${ca.setting} holds no PEM certificate`,
      `Point ${ca.setting.split(" ")[0]} at a PEM file of CA certificates`,
    );
  }
  return text;
}

type ConnectArgs = Parameters<ProxyAgentType<string>["connect"]>;

/** Agents for the SDK's NodeHttpHandler: `{ httpAgent, httpsAgent }` for requests to `url`. */
export interface RequestAgents {
  readonly httpAgent?: Agent;
  readonly httpsAgent?: Agent;
}

/**
 * The agents for requests to `url`: through the proxy the settings give (CONNECT for https, the
 * absolute-URI form for http), trusting the CA bundle when one is set. Loads the proxy agent
 * packages only when a proxy is in use.
 */
export async function requestAgents(url: URL, settings: NetworkSettings, ca: string | undefined): Promise<RequestAgents> {
  const proxy = proxyFor(url, settings);
  const tls = ca !== undefined ? { ca } : {};
  if (proxy === undefined) {
    if (ca === undefined) return {};
    const { Agent: HttpsAgent } = await import("node:https");
    return { httpsAgent: new HttpsAgent({ ...tls, keepAlive: false }) };
  }
  let parsed: URL;
  try {
    parsed = new URL(proxy);
  } catch {
    throw new HelperError(
      "network-config",
      `the proxy setting ${url.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY"} is not a URL`,
      "Set it to http://HOST:PORT",
    );
  }
  // The proxy agents log through the `debug` package, which writes to stderr whenever DEBUG
  // matches — proxy URLs with their passwords included. git shows that stderr: nothing may reach
  // it (a proxy password is a secret). Its output function is replaced (the environment is left alone).
  (await sdkPackage("debug")).default.log = () => {};
  if (url.protocol === "https:") {
    const { HttpsProxyAgent } = await sdkPackage("https-proxy-agent");
    // The agent's own options reach only the connection to the proxy; the TLS session with AWS
    // inside the tunnel is made from the request's options, so the CA is added to those too.
    class TrustingProxyAgent extends HttpsProxyAgent<string> {
      override connect(req: ConnectArgs[0], opts: ConnectArgs[1]) {
        return super.connect(req, { ...opts, ...tls });
      }
    }
    return { httpsAgent: new TrustingProxyAgent(parsed, { ...tls, keepAlive: false }) as unknown as Agent };
  }
  const { HttpProxyAgent } = await sdkPackage("http-proxy-agent");
  return { httpAgent: new HttpProxyAgent(parsed, { keepAlive: false }) as unknown as Agent };
}
