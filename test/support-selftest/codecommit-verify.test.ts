import { describe, expect, it } from "vitest";
import { codeCommitRegion, signCodeCommitPassword, signedPathFor, verifyCodeCommitPassword } from "../support/codecommit-verify.js";

// The public CodeCommit test vector: its published password is the known answer.
const VECTOR = {
  accessKeyId: "access",
  secretAccessKey: "secret",
  region: "us-west-2",
  host: "git-codecommit.us-west-2.amazonaws.com",
  path: "/v1/repos/test_repo",
  time: new Date("2017-12-24T11:53:20Z"),
  password: "20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a",
};

const secretFor = (akid: string): string | undefined => (akid === "access" ? "secret" : undefined);

describe("signCodeCommitPassword", () => {
  it("reproduces the known answer", () => {
    expect(
      signCodeCommitPassword({
        secretAccessKey: VECTOR.secretAccessKey,
        host: VECTOR.host,
        path: VECTOR.path,
        region: VECTOR.region,
        time: VECTOR.time,
      }),
    ).toBe(VECTOR.password);
  });
});

describe("verifyCodeCommitPassword", () => {
  const base = {
    username: VECTOR.accessKeyId,
    password: VECTOR.password,
    host: VECTOR.host,
    requestPath: "/v1/repos/test_repo/info/refs",
    secretFor,
    now: new Date("2017-12-24T12:00:00Z"),
  };

  it("accepts the known answer for any git URL under the repository", () => {
    for (const requestPath of ["/v1/repos/test_repo", "/v1/repos/test_repo/info/refs", "/v1/repos/test_repo/git-upload-pack"]) {
      expect(verifyCodeCommitPassword({ ...base, requestPath })).toEqual({ ok: true, accessKeyId: "access" });
    }
  });

  it("splits a session token off the username", () => {
    expect(verifyCodeCommitPassword({ ...base, username: "access%FQoG+/tok==" })).toEqual({
      ok: true,
      accessKeyId: "access",
      sessionToken: "FQoG+/tok==",
    });
  });

  const rejections: Array<[string, Partial<typeof base>, RegExp]> = [
    ["a wrong secret", { secretFor: () => "not-the-secret" }, /signature mismatch/],
    ["an unknown key", { username: "other" }, /unknown access key id other/],
    ["another repository", { requestPath: "/v1/repos/other_repo/info/refs" }, /signature mismatch/],
    ["another host", { host: "git-codecommit.us-east-1.amazonaws.com" }, /signature mismatch/],
    ["a password 16 minutes old", { now: new Date("2017-12-24T12:09:21Z") }, /from server time/],
    ["a password 16 minutes early", { now: new Date("2017-12-24T11:37:19Z") }, /from server time/],
    ["a malformed password", { password: "secret" }, /YYYYMMDDTHHMMSS/],
    ["a non-repository path", { requestPath: "/info/refs" }, /not a repository path/],
    ["a host without a region", { host: "example.com" }, /no region for host/],
  ];
  for (const [what, change, reason] of rejections) {
    it(`rejects ${what}`, () => {
      const result = verifyCodeCommitPassword({ ...base, ...change });
      expect(result.ok).toBe(false);
      expect(result.ok ? "" : result.reason).toMatch(reason);
    });
  }

  it("never puts the secret in a reason", () => {
    const result = verifyCodeCommitPassword({ ...base, secretFor: () => "sekrit-value" });
    expect(JSON.stringify(result)).not.toContain("sekrit-value");
  });
});

describe("codeCommitRegion", () => {
  const hosts: Array<[string, string | undefined]> = [
    ["git-codecommit.eu-west-1.amazonaws.com", "eu-west-1"],
    ["GIT-CODECOMMIT.EU-WEST-1.AMAZONAWS.COM", "eu-west-1"],
    ["git-codecommit-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"],
    ["git-codecommit.cn-north-1.amazonaws.com.cn", "cn-north-1"],
    ["vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com", "us-east-1"],
    ["git-codecommit.us-east-1.amazonaws.com.evil.net", undefined],
    ["github.com", undefined],
  ];
  for (const [host, region] of hosts) {
    it(`${host} → ${String(region)}`, () => expect(codeCommitRegion(host)).toBe(region));
  }
});

describe("signedPathFor", () => {
  it("keeps the repository path and decodes the name", () => {
    expect(signedPathFor("/v1/repos/my.repo-1/info/refs")).toBe("/v1/repos/my.repo-1");
    expect(signedPathFor("/v1/repos/a%20b/git-receive-pack")).toBe("/v1/repos/a b");
    expect(signedPathFor("/v2/repos/x")).toBeUndefined();
  });
});
