/**
 * Which hosts `get` answers for. An exact match on the whole name (case-insensitive,
 * port removed), never the AWS CLI's substring test; `--host` names match exactly and only them.
 */
import { describe, expect, it } from "vitest";
import { type CodeCommitHost, recognizeHost, stripPort } from "../src/host.js";

describe("recognizeHost: accepted forms", () => {
  const accepted: ReadonlyArray<readonly [string, CodeCommitHost]> = [
    [
      "git-codecommit.eu-west-1.amazonaws.com",
      { signedHost: "git-codecommit.eu-west-1.amazonaws.com", region: "eu-west-1", variant: "standard" },
    ],
    [
      "git-codecommit.us-east-1.amazonaws.com",
      { signedHost: "git-codecommit.us-east-1.amazonaws.com", region: "us-east-1", variant: "standard" },
    ],
    [
      "git-codecommit.ap-southeast-2.amazonaws.com",
      { signedHost: "git-codecommit.ap-southeast-2.amazonaws.com", region: "ap-southeast-2", variant: "standard" },
    ],
    [
      "git-codecommit.us-gov-west-1.amazonaws.com",
      { signedHost: "git-codecommit.us-gov-west-1.amazonaws.com", region: "us-gov-west-1", variant: "standard" },
    ],
    [
      "git-codecommit-fips.us-gov-west-1.amazonaws.com",
      { signedHost: "git-codecommit-fips.us-gov-west-1.amazonaws.com", region: "us-gov-west-1", variant: "fips" },
    ],
    [
      "git-codecommit-fips.us-east-2.amazonaws.com",
      { signedHost: "git-codecommit-fips.us-east-2.amazonaws.com", region: "us-east-2", variant: "fips" },
    ],
    [
      "git-codecommit.cn-north-1.amazonaws.com.cn",
      { signedHost: "git-codecommit.cn-north-1.amazonaws.com.cn", region: "cn-north-1", variant: "china" },
    ],
    [
      "git-codecommit.cn-northwest-1.amazonaws.com.cn",
      { signedHost: "git-codecommit.cn-northwest-1.amazonaws.com.cn", region: "cn-northwest-1", variant: "china" },
    ],
    [
      "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com",
      { signedHost: "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com", region: "us-east-1", variant: "vpce" },
    ],
    [
      "vpce-0a1b2c3d4e5f6a7b8-abcdefgh.git-codecommit-fips.us-gov-east-1.vpce.amazonaws.com",
      {
        signedHost: "vpce-0a1b2c3d4e5f6a7b8-abcdefgh.git-codecommit-fips.us-gov-east-1.vpce.amazonaws.com",
        region: "us-gov-east-1",
        variant: "vpce",
      },
    ],
    // An availability-zone-specific VPC endpoint name has one more dash-separated part.
    [
      "vpce-0123abcd-4567efgh-us-east-1a.git-codecommit.us-east-1.vpce.amazonaws.com",
      { signedHost: "vpce-0123abcd-4567efgh-us-east-1a.git-codecommit.us-east-1.vpce.amazonaws.com", region: "us-east-1", variant: "vpce" },
    ],
  ];
  for (const [host, expected] of accepted) {
    it(host, () => {
      expect(recognizeHost(host)).toEqual(expected);
    });
  }
});

describe("recognizeHost: case and port", () => {
  it("compares case-insensitively but signs the host as sent, region lowercased", () => {
    expect(recognizeHost("GIT-CODECOMMIT.US-EAST-1.AMAZONAWS.COM")).toEqual({
      signedHost: "GIT-CODECOMMIT.US-EAST-1.AMAZONAWS.COM",
      region: "us-east-1",
      variant: "standard",
    });
    expect(recognizeHost("Git-CodeCommit.cn-north-1.AmazonAWS.com.CN")).toEqual({
      signedHost: "Git-CodeCommit.cn-north-1.AmazonAWS.com.CN",
      region: "cn-north-1",
      variant: "china",
    });
  });
  it("removes :443 from the signed host", () => {
    expect(recognizeHost("git-codecommit.us-east-1.amazonaws.com:443")).toEqual({
      signedHost: "git-codecommit.us-east-1.amazonaws.com",
      region: "us-east-1",
      variant: "standard",
    });
  });
  it("removes any other port too", () => {
    expect(recognizeHost("vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com:8443")?.signedHost).toBe(
      "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com",
    );
    expect(recognizeHost("git-codecommit.eu-west-1.amazonaws.com:1")?.signedHost).toBe("git-codecommit.eu-west-1.amazonaws.com");
  });
  it("does not take a non-numeric suffix for a port", () => {
    expect(recognizeHost("git-codecommit.us-east-1.amazonaws.com:https")).toBeUndefined();
    expect(recognizeHost("git-codecommit.us-east-1.amazonaws.com:443:443")).toBeUndefined();
  });
});

describe("recognizeHost: rejected", () => {
  const rejected = [
    "git-codecommit.us-east-1.amazonaws.com.evil.net",
    "git-codecommit.us-east-1.amazonaws.com.evil.net:443",
    "git-codecommit.us-east-1.amazonaws.com@evil.net",
    "evil.net@git-codecommit.us-east-1.amazonaws.com",
    "evilamazonaws.com",
    "amazonaws.com",
    "github.com",
    "evil-git-codecommit.us-east-1.amazonaws.com",
    "xgit-codecommit.us-east-1.amazonaws.com",
    "git-codecommit.us-east-1.amazonaws.com.cn.evil.net",
    "git-codecommit.us-east-1.amazonaws.co",
    "git-codecommit.us-east-1.amazon.com",
    "git-codecommit.amazonaws.com",
    "git-codecommit..amazonaws.com",
    "git-codecommit.not_a_region.amazonaws.com",
    "git-codecommit.us-east-1.evil.amazonaws.com",
    "codecommit.us-east-1.amazonaws.com",
    "git-codecommit-fips.us-gov-west-1.amazonaws.com.cn.evil",
    "git-codecommit.us-east-1.vpce.amazonaws.com",
    "vpce-0123abcd.git-codecommit.us-east-1.amazonaws.com",
    "vpce-.git-codecommit.us-east-1.vpce.amazonaws.com",
    "vpce-0123abcd.evil.git-codecommit.us-east-1.vpce.amazonaws.com",
    "git-codecommit.us-east-1.amazonaws.com/evil",
    "git-codecommit.us-east-1.amazonaws.com ",
    " git-codecommit.us-east-1.amazonaws.com",
    "",
    ":443",
    "[::1]:443",
    "127.0.0.1",
  ];
  for (const host of rejected) {
    it(JSON.stringify(host), () => {
      expect(recognizeHost(host)).toBeUndefined();
    });
  }
});

describe("recognizeHost: --host names", () => {
  const extra = ["my.proxy.example"];
  it("answers for the exact name with no region, signing it as sent", () => {
    expect(recognizeHost("my.proxy.example", extra)).toEqual({ signedHost: "my.proxy.example", region: undefined, variant: "custom" });
  });
  it("ignores case and the port", () => {
    expect(recognizeHost("MY.Proxy.Example:8443", extra)).toEqual({ signedHost: "MY.Proxy.Example", region: undefined, variant: "custom" });
  });
  it("ignores a port written in the --host name", () => {
    expect(recognizeHost("my.proxy.example", ["my.proxy.example:8443"])).toEqual({
      signedHost: "my.proxy.example",
      region: undefined,
      variant: "custom",
    });
  });
  it("matches any of several names", () => {
    expect(recognizeHost("localhost:9418", ["my.proxy.example", "localhost"])?.signedHost).toBe("localhost");
  });
  it("widens nothing else: no subdomain, suffix, prefix or parent", () => {
    for (const host of [
      "sub.my.proxy.example",
      "my.proxy.example.evil.net",
      "proxy.example",
      "xmy.proxy.example",
      "my.proxy.exampl",
      "evil.net@my.proxy.example",
    ]) {
      expect(recognizeHost(host, extra), host).toBeUndefined();
    }
  });
  it("is not used without the option", () => {
    expect(recognizeHost("my.proxy.example")).toBeUndefined();
  });
  it("leaves a CodeCommit name its own region even when also given as --host", () => {
    expect(recognizeHost("git-codecommit.eu-west-1.amazonaws.com", ["git-codecommit.eu-west-1.amazonaws.com"])).toEqual({
      signedHost: "git-codecommit.eu-west-1.amazonaws.com",
      region: "eu-west-1",
      variant: "standard",
    });
  });
});

describe("stripPort", () => {
  it("removes a trailing :digits and nothing else", () => {
    expect(stripPort("host.example:443")).toBe("host.example");
    expect(stripPort("host.example:")).toBe("host.example");
    expect(stripPort("host.example")).toBe("host.example");
    expect(stripPort("host.example:abc")).toBe("host.example:abc");
  });
});

describe("recognizeHost: ASCII only, no look-alike Unicode host", () => {
  it("KELVIN SIGN (U+212A), which lower-cases to k, matches nothing", () => {
    expect(recognizeHost("vpce-1\u212a.git-codecommit.us-east-1.vpce.amazonaws.com")).toBeUndefined();
    expect(recognizeHost("git-codecommit.us-east-1.amazonaws.com", ["git-codecommit.us-east-1.amazonaws.\u212a"])).toMatchObject({
      variant: "standard",
    });
    expect(recognizeHost("code.example.k", ["code.example.\u212a"])).toBeUndefined();
  });
  it("other non-ASCII look-alikes, spaces and controls match nothing", () => {
    for (const host of [
      "git-codecommit.us-east-1.amazonaws.com\u0000",
      "git-codecommit.us-east-1.amazonaws.com ",
      "git-codecommit.us-east-1.amazonaws.co\u217f", // SMALL ROMAN NUMERAL ONE THOUSAND, looks like m
      "g\u0130t-codecommit.us-east-1.amazonaws.com", // İ lower-cases to i + combining dot
    ]) {
      expect(recognizeHost(host), JSON.stringify(host)).toBeUndefined();
    }
  });
  it("upper-case ASCII still matches, and the signed host keeps its case", () => {
    expect(recognizeHost("GIT-CODECOMMIT.US-EAST-1.AMAZONAWS.COM:443")).toEqual({
      signedHost: "GIT-CODECOMMIT.US-EAST-1.AMAZONAWS.COM",
      region: "us-east-1",
      variant: "standard",
    });
  });
});
