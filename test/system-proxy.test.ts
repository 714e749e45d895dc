/**
 * The operating system's proxy, as botocore takes it through Python's urllib when no `*_proxy`
 * variable is set: `scutil --proxy` on macOS and the registry's Internet Settings (`reg query`) on
 * Windows, read through the platform seam with recorded command output. The expectations are what
 * CPython's `getproxies_macosx_sysconf`/`_proxy_bypass_macosx_sysconf` and
 * `getproxies_registry`/`_proxy_bypass_winreg_override` give for the same settings (the macOS
 * bypass is also checked against this machine's Python below, where it needs no DNS).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { describeNetwork, networkSettings, proxyFor } from "../src/aws-client/network.js";
import { parseRegQuery, parseScutilProxy, readSystemProxy, type RunCommand, systemBypasses } from "../src/aws-client/system-proxy.js";

/** `scutil --proxy` on a Mac whose Network settings name a web proxy for HTTP and HTTPS. */
const SCUTIL_CORPORATE = `<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
    2 : 10/8
    3 : *.corp.example.com
    4 : git-codecommit.*.amazonaws.com:443
  }
  ExcludeSimpleHostnames : 1
  FTPPassive : 1
  HTTPEnable : 1
  HTTPPort : 3128
  HTTPProxy : proxy.corp.example.com
  HTTPSEnable : 1
  HTTPSPort : 8443
  HTTPSProxy : secure-proxy.corp.example.com
  ProxyAutoConfigEnable : 0
  SOCKSEnable : 0
}
`;

/** `scutil --proxy` on a Mac as it comes: no proxy. */
const SCUTIL_NONE = `<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
  }
  FTPPassive : 1
  HTTPEnable : 0
  HTTPSEnable : 0
}
`;

/** `reg query "HKCU\…\Internet Settings"` on Windows 10 with "Use a proxy server" on (CRLF, as reg prints). */
function regQuery(values: string): string {
  return [
    "",
    "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings",
    "    DisableCachingOfSSLPages    REG_DWORD    0x0",
    "    IE5_UA_Backup_Flag    REG_SZ    5.0",
    "    PrivacyAdvanced    REG_DWORD    0x1",
    "    SecureProtocols    REG_DWORD    0xa80",
    "    User Agent    REG_SZ    Mozilla/4.0 (compatible; MSIE 8.0; Win32)",
    "    CertificateRevocation    REG_DWORD    0x1",
    "    ZonesSecurityUpgrade    REG_BINARY    B4B9F7D1E0B1D801",
    "    MigrateProxy    REG_DWORD    0x1",
    "    EnableNegotiate    REG_DWORD    0x1",
    ...values.split("\n").filter(Boolean),
    "",
    "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\5.0",
    "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Cache",
    "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections",
    "",
  ].join("\r\n");
}

const REG_CORPORATE = regQuery(
  "    ProxyEnable    REG_DWORD    0x1\n    ProxyServer    REG_SZ    proxy.corp.example.com:8080\n    ProxyOverride    REG_SZ    *.corp.example.com; 10.* ;<local>",
);

/** A seam that answers with a recording and remembers what was asked. */
function recorded(outputs: Record<string, string | undefined>): RunCommand & { calls: string[] } {
  const calls: string[] = [];
  const run = ((program: string, args: readonly string[]) => {
    const line = [program, ...args].join(" ");
    calls.push(line);
    return outputs[line];
  }) as RunCommand & { calls: string[] };
  run.calls = calls;
  return run;
}

const SCUTIL = "scutil --proxy";
const REG = "reg query HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings";
const STS = new URL("https://sts.us-east-1.amazonaws.com/");

describe("macOS: scutil --proxy", () => {
  it("the enabled schemes become http://host:port, as _scproxy builds them", () => {
    expect(parseScutilProxy(SCUTIL_CORPORATE).proxies).toEqual({
      http: "http://proxy.corp.example.com:3128",
      https: "http://secure-proxy.corp.example.com:8443",
    });
    expect(parseScutilProxy(SCUTIL_NONE).proxies).toEqual({});
    expect(parseScutilProxy("<dictionary> {\n  HTTPSEnable : 1\n  HTTPSProxy : p.example\n}\n").proxies).toEqual({
      https: "http://p.example",
    });
  });

  const hosts = [
    "sts.us-east-1.amazonaws.com",
    "git.corp.example.com",
    "GIT.CORP.EXAMPLE.COM",
    "10.1.2.3",
    "10.1.2.3:8443",
    "11.0.0.1",
    "localhost",
    "localhost:8080",
    "169.254.169.254",
    "printer.local",
    "git-codecommit.us-east-1.amazonaws.com",
    "git-codecommit.us-east-1.amazonaws.com:443",
  ];
  const expected = [false, true, false, true, true, false, true, true, true, true, false, true];

  it("bypass: simple names, address prefixes, shell patterns against host[:port], case-sensitive", () => {
    const proxy = parseScutilProxy(SCUTIL_CORPORATE);
    expect(hosts.map((h) => [h, systemBypasses(h, proxy)])).toEqual(hosts.map((h, i) => [h, expected[i]]));
  });

  it("bypass agrees with this machine's Python (_proxy_bypass_macosx_sysconf) where no DNS is involved", () => {
    // Names against address exceptions would make Python 3.11 resolve them: only literal addresses there.
    const settings = {
      exclude_simple: true,
      exceptions: ["*.local", "169.254/16", "10/8", "*.corp.example.com", "git-codecommit.*.amazonaws.com:443"],
    };
    const literal = hosts.filter((h) => /^[\d.:]+$/.test(h) || !/\d/.test(h.split(".")[0] as string));
    const script =
      "import json,sys,urllib.request as u\nd=json.load(sys.stdin)\ns=d['settings']\nprint(json.dumps([u._proxy_bypass_macosx_sysconf(h,{'exclude_simple':s['exclude_simple'],'exceptions':[e for e in s['exceptions'] if not e[0].isdigit() or h[0].isdigit()]}) for h in d['hosts']]))";
    const python = JSON.parse(
      execFileSync("python3", ["-c", script], { input: JSON.stringify({ settings, hosts: literal }) }).toString(),
    ) as boolean[];
    const proxy = parseScutilProxy(SCUTIL_CORPORATE);
    expect(literal.map((h) => systemBypasses(h, proxy))).toEqual(python);
  });
});

describe("Windows: reg query … Internet Settings", () => {
  it("ProxyServer host:port serves http, https and ftp", () => {
    expect(parseRegQuery(REG_CORPORATE).proxies).toEqual({
      http: "http://proxy.corp.example.com:8080",
      https: "http://proxy.corp.example.com:8080",
      ftp: "http://proxy.corp.example.com:8080",
    });
  });

  it("ProxyServer per scheme; a type:// prefix is kept; socks stands in as socks4 for a missing scheme", () => {
    const per = (server: string) =>
      parseRegQuery(regQuery(`    ProxyEnable    REG_DWORD    0x1\n    ProxyServer    REG_SZ    ${server}`)).proxies;
    expect(per("http=web:80;https=https://secure:443")).toEqual({ http: "http://web:80", https: "https://secure:443" });
    expect(per("socks=sox:1080;http=web:80")).toEqual({ socks: "socks://sox:1080", http: "http://web:80", https: "socks4://sox:1080" });
    // urllib stops at the entry without "=" (a ValueError) and keeps what came before it.
    expect(per("https=secure:443;garbage;http=web:80")).toEqual({ https: "http://secure:443" });
  });

  it("ProxyEnable 0, or no ProxyServer: no proxy", () => {
    expect(parseRegQuery(regQuery("    ProxyEnable    REG_DWORD    0x0\n    ProxyServer    REG_SZ    proxy:8080")).proxies).toEqual({});
    expect(parseRegQuery(regQuery("    ProxyEnable    REG_DWORD    0x1")).proxies).toEqual({});
    expect(parseRegQuery(regQuery("")).proxies).toEqual({});
  });

  it("ProxyOverride: shell patterns on the host without its port, any case; <local> is a name without a dot", () => {
    const proxy = parseRegQuery(REG_CORPORATE);
    const cases: Array<[string, boolean]> = [
      ["sts.us-east-1.amazonaws.com", false],
      ["git.corp.example.com:443", true],
      ["GIT.CORP.Example.com", true],
      ["10.0.0.7", true],
      ["110.0.0.7", false],
      ["intranet", true],
      ["intranet:8080", true],
      ["corp.example.com", false],
    ];
    expect(cases.map(([h]) => [h, systemBypasses(h, proxy)])).toEqual(cases);
  });
});

describe("the seam, wired into the proxy settings", () => {
  it("macOS: STS through the system's HTTPS proxy; an exception goes direct; said in the message", () => {
    const run = recorded({ [SCUTIL]: SCUTIL_CORPORATE });
    const settings = networkSettings({}, { name: "dev" }, () => readSystemProxy("darwin", run));
    expect(run.calls).toEqual([SCUTIL]);
    expect(proxyFor(STS, settings)).toBe("http://secure-proxy.corp.example.com:8443");
    expect(proxyFor(new URL("https://git.corp.example.com/"), settings)).toBeUndefined();
    expect(describeNetwork(STS, settings)).toBe("through proxy http://secure-proxy.corp.example.com:8443 (macOS proxy settings)");
  });

  it("Windows: STS through the registry's proxy; <local> goes direct", () => {
    const run = recorded({ [REG]: REG_CORPORATE });
    const settings = networkSettings({}, { name: "dev" }, () => readSystemProxy("win32", run));
    expect(run.calls).toEqual([REG]);
    expect(proxyFor(STS, settings)).toBe("http://proxy.corp.example.com:8080");
    expect(proxyFor(new URL("https://intranet/"), settings)).toBeUndefined();
    expect(describeNetwork(STS, settings)).toBe("through proxy http://proxy.corp.example.com:8080 (Windows proxy settings)");
  });

  it("any *_proxy variable, NO_PROXY alone included, wins: the system is not asked", () => {
    for (const env of [{ HTTPS_PROXY: "http://env:1" }, { no_proxy: "example.com" }]) {
      const run = recorded({ [SCUTIL]: SCUTIL_CORPORATE });
      const settings = networkSettings(env, { name: "dev" }, () => readSystemProxy("darwin", run));
      expect(run.calls).toEqual([]);
      expect(proxyFor(STS, settings)).toBe(env.HTTPS_PROXY);
    }
  });

  it("other platforms, a failing command, or no proxy set: direct, and Linux runs nothing", () => {
    const run = recorded({ [SCUTIL]: SCUTIL_NONE });
    expect(readSystemProxy("linux", run)).toBeUndefined();
    expect(run.calls).toEqual([]);
    expect(readSystemProxy("darwin", run)).toBeUndefined();
    expect(readSystemProxy("win32", run)).toBeUndefined();
    expect(run.calls).toEqual([SCUTIL, REG]);
    expect(
      proxyFor(
        STS,
        networkSettings({}, { name: "dev" }, () => readSystemProxy("darwin", run)),
      ),
    ).toBeUndefined();
  });
});
