/**
 * The password is byte-identical to `aws codecommit credential-helper get`, and
 * password_expiry_utc is the earlier of signing time + 15 min and the credentials' expiry. The vectors
 * are data (test/fixtures/password-vectors.json), every expected value produced by the pip AWS CLI
 * under faketime (test/fixtures/make-password-vectors.mjs).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recognizeHost } from "../src/host.js";
import { canonicalRequest, signGitPassword, signingKey, signingTimestamp } from "../src/password.js";
import { ROOT } from "./support/run-binary.js";

interface PasswordVector {
  readonly name: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region: string;
  /** As git sends it: may carry a port. */
  readonly host: string;
  readonly path: string;
  readonly time: string;
  readonly expected: { readonly username: string; readonly password: string };
}

const { vectors } = JSON.parse(readFileSync(join(__dirname, "fixtures", "password-vectors.json"), "utf8")) as {
  vectors: PasswordVector[];
};

describe("signGitPassword: known answers from the AWS CLI", () => {
  it("has the public vector and one for each host form", () => {
    expect(vectors.map((v) => v.host)).toEqual([
      "git-codecommit.us-west-2.amazonaws.com",
      "git-codecommit-fips.us-gov-west-1.amazonaws.com",
      "git-codecommit.cn-north-1.amazonaws.com.cn",
      "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com",
      "vpce-0a1b2c3d4e5f6a7b8-abcdefgh.git-codecommit-fips.us-gov-east-1.vpce.amazonaws.com",
      "git-codecommit.eu-west-1.amazonaws.com:443",
      "Git-CodeCommit.ap-southeast-2.amazonaws.com",
      "git-codecommit.us-east-1.amazonaws.com",
    ]);
    // The public test vector's published answer, independent of the generator.
    expect(vectors[0]?.expected.password).toBe("20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a");
  });

  for (const v of vectors) {
    it(v.name, () => {
      // The host goes through recognition exactly as in `get`: port stripped, case kept, region found.
      const host = recognizeHost(v.host);
      expect(host?.region).toBe(v.region);
      const signed = signGitPassword({
        credentials: {
          accessKeyId: v.accessKeyId,
          secretAccessKey: v.secretAccessKey,
          ...(v.sessionToken ? { sessionToken: v.sessionToken } : {}),
        },
        host: host?.signedHost ?? "",
        path: v.path,
        region: v.region,
        now: new Date(v.time),
      });
      expect(signed.username).toBe(v.expected.username);
      expect(signed.password).toBe(v.expected.password);
      expect(signed.expiresAt).toBe(Date.parse(v.time) / 1000 + 900);
    });
  }

  it("the session token does not enter the signature, only the username", () => {
    const base = {
      host: "git-codecommit.us-west-2.amazonaws.com",
      path: "v1/repos/test_repo",
      region: "us-west-2",
      now: new Date("2017-12-24T11:53:20Z"),
    };
    const signed = signGitPassword({
      ...base,
      credentials: { accessKeyId: "access", secretAccessKey: "secret", sessionToken: "token/with+chars=" },
    });
    expect(signed).toEqual({
      username: "access%token/with+chars=",
      password: "20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a",
      expiresAt: 1514116400 + 900,
    });
  });

  it("an empty session token is no session token", () => {
    const signed = signGitPassword({
      credentials: { accessKeyId: "access", secretAccessKey: "secret", sessionToken: "" },
      host: "git-codecommit.us-west-2.amazonaws.com",
      path: "v1/repos/test_repo",
      region: "us-west-2",
      now: new Date("2017-12-24T11:53:20Z"),
    });
    expect(signed.username).toBe("access");
  });
});

describe("signGitPassword under bun (Bun.CryptoHasher, as in the native executable)", () => {
  it("gives every known answer", () => {
    // The same source file, in the pinned bun: src/hashes.ts takes its other branch there.
    const script = `
      const { signGitPassword } = require(${JSON.stringify(join(ROOT, "src", "password.ts"))});
      const vectors = ${JSON.stringify(vectors)};
      console.log(JSON.stringify(vectors.map((v) => signGitPassword({
        credentials: { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey, sessionToken: v.sessionToken },
        host: v.host.replace(/:\\d+$/, ""), path: v.path, region: v.region, now: new Date(v.time),
      }))));
    `;
    const r = spawnSync(join(ROOT, "node_modules", ".bin", "bun"), ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 10_000 });
    expect(r.stderr).toBe("");
    const signed = JSON.parse(r.stdout) as Array<{ username: string; password: string }>;
    expect(signed.map((s) => [s.username, s.password])).toEqual(vectors.map((v) => [v.expected.username, v.expected.password]));
  });
});

describe("signingKey", () => {
  it("derives the key of AWS's published SigV4 example (IAM, us-east-1, 2012-02-15)", () => {
    expect(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam").toString("hex")).toBe(
      "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
    );
  });
});

describe("signingTimestamp", () => {
  it("formats UTC as YYYYMMDDTHHMMSS without Z", () => {
    expect(signingTimestamp(new Date("2017-12-24T11:53:20Z"))).toBe("20171224T115320");
  });
  it("drops milliseconds instead of rounding", () => {
    expect(signingTimestamp(new Date("2017-12-24T11:53:20.999Z"))).toBe("20171224T115320");
  });
  it("is UTC whatever the offset the Date was written with", () => {
    expect(signingTimestamp(new Date("2024-03-01T01:30:00+02:00"))).toBe("20240229T233000");
  });
  it("zero-pads every field", () => {
    expect(signingTimestamp(new Date("2001-02-03T04:05:06Z"))).toBe("20010203T040506");
  });
  it("is the ISO form without - and :, cut after the seconds, for any time (years 0 to 275760)", () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        expect(signingTimestamp(date)).toBe(date.toISOString().replace(/[-:]/g, "").slice(0, 15));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("canonicalRequest", () => {
  it("is GIT, the path with one leading slash, no query, the host header only", () => {
    expect(canonicalRequest("git-codecommit.us-west-2.amazonaws.com", "v1/repos/test_repo")).toBe(
      "GIT\n/v1/repos/test_repo\n\nhost:git-codecommit.us-west-2.amazonaws.com\n\nhost\n",
    );
  });
  it("keeps the host's case and the path's bytes as received (no re-encoding)", () => {
    expect(canonicalRequest("Git-CodeCommit.eu-west-1.amazonaws.com", "v1/repos/a b%2F~")).toBe(
      "GIT\n/v1/repos/a b%2F~\n\nhost:Git-CodeCommit.eu-west-1.amazonaws.com\n\nhost\n",
    );
  });
});

describe("password_expiry_utc (expiresAt)", () => {
  const request = { host: "git-codecommit.us-west-2.amazonaws.com", path: "v1/repos/test_repo", region: "us-west-2" };
  const now = new Date("2017-12-24T11:53:20Z"); // 1514116400
  const sign = (expiration: Date | undefined, at: Date = now) =>
    signGitPassword({
      ...request,
      now: at,
      credentials: { accessKeyId: "access", secretAccessKey: "secret", sessionToken: "tok", ...(expiration ? { expiration } : {}) },
    });

  it("is signing time + 900 s for credentials without an expiry", () => {
    expect(sign(undefined).expiresAt).toBe(1514117300);
  });
  it("is signing time + 900 s, whole seconds, when the clock has milliseconds", () => {
    expect(sign(undefined, new Date("2017-12-24T11:53:20.750Z")).expiresAt).toBe(1514117300);
  });
  it("is the credentials' expiry when that comes first", () => {
    expect(sign(new Date("2017-12-24T12:00:00Z")).expiresAt).toBe(1514116800);
  });
  it("is signing time + 900 s when the credentials last longer", () => {
    expect(sign(new Date("2017-12-24T13:00:00Z")).expiresAt).toBe(1514117300);
  });
  it("is the same either way when both fall on the same second", () => {
    expect(sign(new Date("2017-12-24T12:08:20Z")).expiresAt).toBe(1514117300);
  });
  it("rounds a fractional credentials expiry down to whole seconds", () => {
    expect(sign(new Date("2017-12-24T12:00:00.900Z")).expiresAt).toBe(1514116800);
  });
});
