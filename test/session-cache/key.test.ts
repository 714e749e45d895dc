/**
 * Which file of the AWS CLI's cache holds a session: keys against answers computed by botocore
 * itself (assumed-role and SSO role sessions), the key arguments a profile configures, and where
 * the cache directory is.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { credentialSourceFor } from "../../src/aws-config/credential-source-for.js";
import { roleArgs } from "../../src/session-cache/assume-role-request.js";
import { type AssumeRoleArgs, cliCacheDir, roleCacheKey, ssoCacheKey } from "../../src/session-cache/key.js";

const ROLE = "arn:aws:iam::123456789012:role/dev";
const MFA = "arn:aws:iam::111111111111:mfa/dev";

/**
 * Keys computed by botocore 1.43 (`AssumeRoleCredentialFetcher(...)._cache_key` and
 * `SSOCredentialFetcher(...)._cache_key`), the code the AWS CLI runs.
 */
const ROLE_KEY_VECTORS: ReadonlyArray<{ args: AssumeRoleArgs; key: string }> = [
  { args: { RoleArn: ROLE }, key: "af854889538ac1a069a8274d5ee4dc500f8b1f91" },
  { args: { RoleArn: ROLE, ExternalId: "ext-1234" }, key: "38856a56f103d583c8ebb52ff4e4fd06e9fe7e8d" },
  { args: { RoleArn: ROLE, DurationSeconds: 3600 }, key: "db154127c14a6bd055e303163a217ad549d57dcd" },
  { args: { RoleArn: ROLE, DurationSeconds: 43200 }, key: "7f88d65aa28f2a7a97e9d5945cb71ed3b5177ae7" },
  { args: { RoleArn: ROLE, SerialNumber: MFA }, key: "c3f50a7b1d48818cf7bacb7b57c4475a888635cc" },
  { args: { RoleArn: ROLE, RoleSessionName: "dév-ßession-日本" }, key: "6464fe58cd9b818ece27117f7aff7d5d1c804dcd" },
  { args: { RoleArn: ROLE, RoleSessionName: "rocket-🚀" }, key: "40c2de3f89096a86a08d18bcdce6b2db2316b5ed" },
  { args: { RoleArn: ROLE, RoleSessionName: 'quote"back\\slash\ttab\u007fdel' }, key: "4c3e9cd41f78e9fb298f40c776b5c582aa01ae87" },
  {
    args: { RoleArn: ROLE, ExternalId: "ext-1234", RoleSessionName: "alice", SerialNumber: MFA, DurationSeconds: 900 },
    key: "b9751e892a0605f5dc6dc1919f6f777f5c615dad",
  },
];

const SSO_KEY_VECTORS = [
  { args: { accountId: "123456789012", roleName: "Developer", sessionName: "my-sso" }, key: "78207cbe86fd88118b28f50a0d2415e56e205588" },
  {
    args: { accountId: "123456789012", roleName: "Developer", startUrl: "https://d-1234567890.awsapps.com/start" },
    key: "54b746bf3a45d40d863fbd2ed3b42d8dc72f368e",
  },
];

/** Profile settings → the arguments botocore's AssumeRoleProvider hashes (and sends), through the decided source. */
const PROFILE_ARG_VECTORS: ReadonlyArray<{ profile: Record<string, string>; args: AssumeRoleArgs }> = [
  { profile: { role_arn: ROLE, source_profile: "base" }, args: { RoleArn: ROLE } },
  { profile: { role_arn: ROLE, source_profile: "base", duration_seconds: "3600" }, args: { RoleArn: ROLE, DurationSeconds: 3600 } },
  { profile: { role_arn: ROLE, source_profile: "base", duration_seconds: "1_800" }, args: { RoleArn: ROLE, DurationSeconds: 1800 } },
  // int() refuses these, and botocore then leaves DurationSeconds out.
  { profile: { role_arn: ROLE, source_profile: "base", duration_seconds: "1h" }, args: { RoleArn: ROLE } },
  { profile: { role_arn: ROLE, source_profile: "base", duration_seconds: "3600.0" }, args: { RoleArn: ROLE } },
  // An empty session name is replaced by a generated one, which is not part of the key.
  { profile: { role_arn: ROLE, source_profile: "base", role_session_name: "" }, args: { RoleArn: ROLE } },
  {
    profile: {
      role_arn: ROLE,
      credential_source: "Environment",
      external_id: "ext-1234",
      role_session_name: "alice",
      mfa_serial: MFA,
      duration_seconds: "900",
      region: "eu-west-1",
    },
    args: { RoleArn: ROLE, ExternalId: "ext-1234", RoleSessionName: "alice", SerialNumber: MFA, DurationSeconds: 900 },
  },
];

describe("cache keys", () => {
  it.each(ROLE_KEY_VECTORS)("role $args → $key.json", ({ args, key }) => {
    expect(roleCacheKey(args)).toBe(key);
  });

  it.each(SSO_KEY_VECTORS)("SSO $args → $key.json", ({ args, key }) => {
    expect(ssoCacheKey(args)).toBe(key);
  });

  it.each(PROFILE_ARG_VECTORS)("profile $profile configures $args", ({ profile, args }) => {
    const config = {
      configFile: "/c",
      credentialsFile: "/k",
      profiles: new Map([
        ["p", profile],
        ["base", { aws_access_key_id: "AKIDBASE", aws_secret_access_key: "s" }],
      ]),
    };
    const source = credentialSourceFor({ profileArg: "p", env: { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "s" }, config });
    expect(source.kind === "assume-role" ? roleArgs(source) : source.kind).toEqual(args);
  });

  it("lives in ~/.aws/cli/cache of the HOME given, unless overridden", () => {
    expect(cliCacheDir({ HOME: "/home/u" })).toBe("/home/u/.aws/cli/cache");
    expect(cliCacheDir({ HOME: "/home/u", AWS_CLI_CACHE_DIR: "/elsewhere" })).toBe("/elsewhere");
  });
});

describe("the key vectors", () => {
  /**
   * botocore itself computes the keys. Where python3 has no botocore the literal vectors above still
   * hold, so a developer's run skips this; under CI a missing or crashing oracle is a failure.
   */
  it("agree with the installed botocore (required under CI)", (ctx) => {
    let botocore: string;
    try {
      botocore = execFileSync(
        "python3",
        [
          "-c",
          "import json,sys\nfrom botocore.credentials import AssumeRoleCredentialFetcher as F\nfor a in json.load(sys.stdin):\n  r=a.pop('RoleArn'); print(F(None,None,r,extra_args=a,cache={})._cache_key)",
        ],
        { input: JSON.stringify(ROLE_KEY_VECTORS.map((v) => v.args)), encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], timeout: 60_000 },
      );
    } catch (err) {
      if (process.env.CI) throw new Error(`the botocore oracle did not run (python3 -m pip install botocore): ${(err as Error).message}`);
      return ctx.skip("no Python botocore here; CI requires it");
    }
    expect(botocore.trim().split("\n")).toEqual(ROLE_KEY_VECTORS.map((v) => v.key));
  });
});
