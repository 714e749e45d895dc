/**
 * Proxy settings read as the AWS CLI reads them, checked against Python's urllib itself
 * (getproxies_environment, proxy_bypass_environment: what botocore's get_environ_proxies uses).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  bypassesProxy,
  describeNetwork,
  displayProxy,
  environmentProxies,
  networkSettings,
  proxyFor,
  proxyUrl,
} from "../src/aws-client/network.js";

const ENVS: Record<string, string>[] = [
  {},
  { HTTPS_PROXY: "http://corp:3128" },
  { https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2" },
  { https_proxy: "", HTTPS_PROXY: "http://upper:2" },
  { HTTP_PROXY: "http://plain:8080", REQUEST_METHOD: "GET" },
  { http_proxy: "http://plain:8080", REQUEST_METHOD: "GET" },
  { Https_Proxy: "http://mixed:1" },
  { NO_PROXY: "localhost", no_proxy: "example.com" },
  { ALL_PROXY: "socks5://x:1", FOO: "bar" },
];

const HOSTS = [
  "sts.us-east-1.amazonaws.com",
  "STS.US-EAST-1.AMAZONAWS.COM:443",
  "localhost:8443",
  "amazonaws.com",
  "evilamazonaws.com",
  "127.0.0.1:80",
  "sso.example.org",
];
const NO_PROXY = [
  "*",
  "amazonaws.com",
  ".amazonaws.com",
  " localhost , .example.org",
  "localhost:8443",
  "127.0.0.1",
  "AMAZONAWS.COM",
  ",,",
  "*.amazonaws.com",
];

function python<T>(script: string, input: unknown): T {
  return JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(input) }).toString()) as T;
}

describe("environmentProxies, as getproxies_environment", () => {
  const expected = python<Record<string, string>[]>(
    "import json,os,sys,urllib.request as u\nout=[]\nfor e in json.load(sys.stdin):\n  os.environ.clear(); os.environ.update(e); out.append(u.getproxies_environment())\nprint(json.dumps(out))",
    ENVS,
  );
  it.each(ENVS.map((e, i) => [JSON.stringify(e), e, i] as const))("%s", (_n, env, i) => {
    expect(environmentProxies(env)).toEqual(expected[i]);
  });
});

describe("bypassesProxy, as proxy_bypass_environment", () => {
  const cases = NO_PROXY.flatMap((no) => HOSTS.map((host) => [no, host] as const));
  const expected = python<boolean[]>(
    "import json,sys,urllib.request as u\nprint(json.dumps([bool(u.proxy_bypass_environment(h, {'no': n})) for n,h in json.load(sys.stdin)]))",
    cases,
  );
  it.each(cases.map(([no, host], i) => [no, host, i] as const))("NO_PROXY=%j host %j", (no, host, i) => {
    expect(bypassesProxy(host, no)).toBe(expected[i]);
  });
});

describe("proxy choice and wording", () => {
  it("a proxy without a scheme is http:// (botocore _fix_proxy_url)", () => {
    expect(proxyUrl("corp:3128")).toBe("http://corp:3128");
    expect(proxyUrl("//corp:3128")).toBe("http://corp:3128");
    expect(proxyUrl("https://corp:3128")).toBe("https://corp:3128");
  });

  it("https requests use https_proxy, http ones http_proxy, NO_PROXY hosts none", () => {
    const s = networkSettings({ HTTPS_PROXY: "corp:3128", HTTP_PROXY: "http://plain:80", NO_PROXY: "internal" }, { name: "dev" });
    expect(proxyFor(new URL("https://sts.us-east-1.amazonaws.com"), s)).toBe("http://corp:3128");
    expect(proxyFor(new URL("http://127.0.0.1:9000"), s)).toBe("http://plain:80");
    expect(proxyFor(new URL("https://sts.internal"), s)).toBeUndefined();
  });

  it("AWS_CA_BUNDLE wins over the profile's ca_bundle (botocore's config chain)", () => {
    expect(networkSettings({ AWS_CA_BUNDLE: "/env.pem" }, { name: "dev", caBundle: "/profile.pem" }).caBundle).toEqual({
      file: "/env.pem",
      setting: "AWS_CA_BUNDLE",
    });
    expect(networkSettings({}, { name: "dev", caBundle: "/profile.pem" }).caBundle).toEqual({
      file: "/profile.pem",
      setting: "ca_bundle in profile dev",
    });
  });

  it("never shows a proxy's user or password", () => {
    expect(displayProxy("http://alice:s3cret-proxy-pw@corp:3128")).toBe("http://corp:3128");
    const s = networkSettings({ HTTPS_PROXY: "http://alice:s3cret-proxy-pw@corp:3128", AWS_CA_BUNDLE: "/ca.pem" }, { name: "dev" });
    expect(describeNetwork(new URL("https://sts.eu-west-1.amazonaws.com"), s)).toBe(
      "through proxy http://corp:3128 (HTTPS_PROXY), trusting only the CAs in /ca.pem (AWS_CA_BUNDLE)",
    );
  });

  it("names NO_PROXY when it sent a request around the proxy", () => {
    const s = networkSettings({ HTTPS_PROXY: "http://corp:3128", no_proxy: ".amazonaws.com" }, { name: "dev" });
    expect(describeNetwork(new URL("https://sts.eu-west-1.amazonaws.com"), s)).toBe("directly (NO_PROXY=.amazonaws.com)");
  });
});
