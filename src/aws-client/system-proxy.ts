/**
 * The proxy the operating system is set to use, as botocore finds it when no `*_proxy` variable is
 * set: botocore asks Python's `urllib.request.getproxies()` and `proxy_bypass()`, which read
 *
 * - on macOS, System Configuration (the Network settings' "Proxies" tab), through `_scproxy`: the
 *   same dictionary `scutil --proxy` prints;
 * - on Windows, the registry's Internet Settings of the current user (`ProxyEnable`, `ProxyServer`,
 *   `ProxyOverride`), the settings' "Use a proxy server" page: read here with `reg query`.
 *
 * Each platform has a pure parser of its command's output and a bypass rule, step for step as
 * CPython's `Lib/urllib/request.py` has them; {@link systemProxyReader} is the seam that runs the
 * command (only on those two platforms, and only on a run that goes to the network).
 */
import { SYSTEM_PROXY_COMMAND_MS } from "./limits.js";

/** What the system says, as `getproxies()` and `proxy_bypass()` would use it. */
export interface SystemProxy {
  /** Proxy URL per scheme ("http", "https", …), `http://host:port` as urllib builds them. */
  readonly proxies: Readonly<Record<string, string>>;
  /** Where the settings came from, for messages: "macOS proxy settings" or "Windows proxy settings". */
  readonly source: string;
  /** Whether a request to `host[:port]` goes direct. */
  readonly bypass: MacBypass | WindowsBypass;
}

/** macOS: `ExcludeSimpleHostnames` and `ExceptionsList`. */
export interface MacBypass {
  readonly kind: "macos";
  readonly excludeSimple: boolean;
  readonly exceptions: readonly string[];
}

/** Windows: `ProxyOverride`, when the proxy is enabled. */
export interface WindowsBypass {
  readonly kind: "windows";
  readonly override: string;
}

/** Runs a command and returns its stdout, or undefined when it cannot run or fails. */
export type RunCommand = (program: string, args: readonly string[]) => string | undefined;

/** The registry key urllib reads (HKEY_CURRENT_USER). */
export const INTERNET_SETTINGS_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings";

/**
 * The system's proxy on darwin and win32, through `run`; undefined on other platforms, when the
 * command fails, or when the system names no proxy.
 */
export function readSystemProxy(platform: string, run: RunCommand): SystemProxy | undefined {
  let proxy: SystemProxy | undefined;
  if (platform === "darwin") {
    const out = run("scutil", ["--proxy"]);
    proxy = out === undefined ? undefined : parseScutilProxy(out);
  } else if (platform === "win32") {
    const out = run("reg", ["query", INTERNET_SETTINGS_KEY]);
    proxy = out === undefined ? undefined : parseRegQuery(out);
  }
  return proxy && Object.keys(proxy.proxies).length > 0 ? proxy : undefined;
}

/** The seam the program uses: {@link readSystemProxy} for this platform, with a real command runner. */
export function systemProxyReader(platform: string): () => SystemProxy | undefined {
  return () => (platform === "darwin" || platform === "win32" ? readSystemProxy(platform, runQuietly) : undefined);
}

function runQuietly(program: string, args: readonly string[]): string | undefined {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const r = spawnSync(program, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    timeout: SYSTEM_PROXY_COMMAND_MS,
    windowsHide: true,
  });
  return r.error || r.status !== 0 ? undefined : r.stdout;
}

// ---- macOS ------------------------------------------------------------------------------------

/**
 * `scutil --proxy`'s dictionary: `Key : value` lines, arrays as `Key : <array> {` with `N : item`
 * lines. Each scheme whose `<S>Enable` is non-zero and that has `<S>Proxy` becomes
 * `http://host[:port]`, as `_scproxy` builds it (for https too: the proxy itself is spoken to in
 * plain HTTP).
 */
export function parseScutilProxy(text: string): SystemProxy {
  const values = new Map<string, string>();
  const exceptions: string[] = [];
  let inArray: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (inArray !== undefined) {
      if (line === "}") inArray = undefined;
      else {
        const item = /^\d+\s*:\s?(.*)$/.exec(line);
        if (item && inArray === "ExceptionsList") exceptions.push((item[1] as string).trim());
      }
      continue;
    }
    const entry = /^(\w+)\s*:\s?(.*)$/.exec(line);
    if (!entry) continue;
    const [, key, value] = entry as unknown as [string, string, string];
    if (value.startsWith("<array>")) inArray = key;
    else values.set(key, value.trim());
  }
  const proxies: Record<string, string> = {};
  const schemes: Array<[string, string]> = [
    ["http", "HTTP"],
    ["https", "HTTPS"],
    ["ftp", "FTP"],
    ["gopher", "Gopher"],
  ];
  for (const [scheme, prefix] of schemes) {
    const enabled = Number.parseInt(values.get(`${prefix}Enable`) ?? "0", 10);
    const host = values.get(`${prefix}Proxy`);
    if (!enabled || !host) continue;
    const port = values.get(`${prefix}Port`);
    proxies[scheme] = port !== undefined && /^-?\d+$/.test(port) ? `http://${host}:${Number.parseInt(port, 10)}` : `http://${host}`;
  }
  const excludeSimple = Number.parseInt(values.get("ExcludeSimpleHostnames") ?? "0", 10) !== 0;
  return { proxies, source: "macOS proxy settings", bypass: { kind: "macos", excludeSimple, exceptions } };
}

/**
 * urllib's `_proxy_bypass_macosx_sysconf`: a host without a dot when simple names are excluded;
 * an IPv4 address inside an exception written as an address or prefix (`169.254/16`, `10.0.0.1`);
 * otherwise an exception that matches `host[:port]` as a shell pattern (`*.local`), case-sensitive.
 */
function macBypasses(hostPort: string, bypass: MacBypass): boolean {
  const host = splitPort(hostPort);
  if (!hostPort.includes(".") && bypass.excludeSimple) return true;
  const hostIp = ipv4Number(host);
  for (const value of bypass.exceptions) {
    if (!value) continue;
    const m = /^(\d+(?:\.\d+)*)(\/\d+)?/.exec(value);
    if (m !== null && hostIp !== undefined) {
      const parts = (m[1] as string).split(".").map(Number);
      const base = ((parts[0] ?? 0) * 2 ** 24 + (parts[1] ?? 0) * 2 ** 16 + (parts[2] ?? 0) * 2 ** 8 + (parts[3] ?? 0)) >>> 0;
      const prefix = m[2] === undefined ? 8 * parts.length : Number((m[2] as string).slice(1));
      // System libraries ignore an invalid prefix length.
      if (prefix < 0 || prefix > 32) continue;
      const shift = 32 - prefix;
      if (Math.floor(hostIp / 2 ** shift) === Math.floor(base / 2 ** shift)) return true;
    } else if (shellMatch(hostPort, value, false)) return true;
  }
  return false;
}

/** Python's `int(IPv4Address(text))`: four decimal octets without leading zeros, or undefined. */
function ipv4Number(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (const octet of m.slice(1) as string[]) {
    if ((octet.length > 1 && octet.startsWith("0")) || Number(octet) > 255) return undefined;
    n = n * 256 + Number(octet);
  }
  return n;
}

// ---- Windows ----------------------------------------------------------------------------------

/** The values of the key `reg query` printed first: `    Name    REG_TYPE    data` lines. */
function regValues(text: string): Map<string, { type: string; data: string }> {
  const values = new Map<string, { type: string; data: string }>();
  let keys = 0;
  for (const line of text.split(/\r?\n/)) {
    if (/^HKEY_/.test(line)) {
      // Only the key asked for; subkeys follow as further "HKEY_…" headings.
      if (++keys > 1) break;
      continue;
    }
    const m = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (m) values.set((m[1] as string).toLowerCase(), { type: m[2] as string, data: m[3] ?? "" });
  }
  return values;
}

/** A registry value as Python's winreg gives it: a DWORD as a number, a string as it is. */
function regValue(value: { type: string; data: string } | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  if (value.type === "REG_DWORD" || value.type === "REG_QWORD") return Number.parseInt(value.data, 16);
  return value.data;
}

/**
 * urllib's `getproxies_registry` and `proxy_bypass_registry` over `reg query`'s output. With
 * `ProxyEnable` set, `ProxyServer` is either one `host:port` for every scheme or
 * `scheme=address;…`; an address without `type://` gets `http://` (`socks://` for socks, and
 * then `socks4://` stands in for a missing http or https). A malformed entry ends the list, as the
 * ValueError it raises in urllib does, keeping the ones before it.
 */
export function parseRegQuery(text: string): SystemProxy {
  const values = regValues(text);
  const enabled = regValue(values.get("proxyenable"));
  const server = regValue(values.get("proxyserver"));
  const proxies: Record<string, string> = {};
  if (enabled && server !== undefined) {
    const setting = String(server);
    const list = setting.includes("=") || setting.includes(";") ? setting : `http=${setting};https=${setting};ftp=${setting}`;
    for (const part of list.split(";")) {
      const eq = part.indexOf("=");
      if (eq < 0) break;
      const protocol = part.slice(0, eq);
      let address = part.slice(eq + 1);
      if (!/^[^/:]+:\/\//.test(address)) {
        if (protocol === "http" || protocol === "https" || protocol === "ftp") address = `http://${address}`;
        else if (protocol === "socks") address = `socks://${address}`;
      }
      proxies[protocol] = address;
    }
    if (proxies.socks) {
      const socks = proxies.socks.replace(/^socks:\/\//, "socks4://");
      proxies.http ||= socks;
      proxies.https ||= socks;
    }
  }
  const override = regValue(values.get("proxyoverride"));
  return { proxies, source: "Windows proxy settings", bypass: { kind: "windows", override: enabled && override ? String(override) : "" } };
}

/**
 * urllib's `_proxy_bypass_winreg_override`: `ProxyOverride` is a `;` list of shell patterns matched
 * against the host without its port, case-insensitively as Windows' fnmatch does; `<local>` is
 * any host name without a dot.
 */
function windowsBypasses(hostPort: string, bypass: WindowsBypass): boolean {
  if (!bypass.override) return false;
  const host = splitPort(hostPort);
  for (const raw of bypass.override.split(";")) {
    const test = raw.trim();
    if (test === "<local>") {
      if (!host.includes(".")) return true;
    } else if (shellMatch(host, test, true)) return true;
  }
  return false;
}

// ---- both -------------------------------------------------------------------------------------

/** Whether a request to `hostPort` (as in a URL's host) goes direct under the system's settings. */
export function systemBypasses(hostPort: string, proxy: SystemProxy): boolean {
  return proxy.bypass.kind === "macos" ? macBypasses(hostPort, proxy.bypass) : windowsBypasses(hostPort, proxy.bypass);
}

/** urllib's `_splitport`: the host without a trailing `:digits`. */
function splitPort(hostPort: string): string {
  const m = /^(.*):(\d*)$/.exec(hostPort);
  return m ? (m[1] as string) : hostPort;
}

/** Python's fnmatch for `*`, `?` and `[…]` classes, the whole string. */
function shellMatch(text: string, pattern: string, ignoreCase: boolean): boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) source += "\\[";
      else {
        const body = pattern.slice(i + 1, close).replace(/\\/g, "\\\\");
        source += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(text);
}
