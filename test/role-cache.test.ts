/**
 * The AWS CLI compatible role cache (contract §6), below the binary: cache keys against answers
 * computed by botocore itself, the Expiration forms, the 15-minute window on a fixed clock, file
 * modes, damaged files, the lock, and the AssumeRole request the CLI sends.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, type LockOptions } from "../src/session-cache/lock.js";
import { fakeLock } from "./support/fake-lock.js";
import { credentialSourceFor } from "../src/aws-config/credential-source-for.js";
import { cliRequest } from "../src/session-cache/assume-role-request.js";
import { roleArgs } from "../src/session-cache/assume-role-request.js";
import { cachedSession, lockFile, type SessionCache } from "../src/session-cache/cached-session.js";
import { type AssumeRoleArgs, cacheFile, cliCacheDir, roleCacheKey, ssoCacheKey } from "../src/session-cache/key.js";
import { formatCacheEntry, parseCacheEntry, parseExpiration, lookupEntry, writeCacheEntry } from "../src/session-cache/entry.js";
import { createTracer } from "../src/trace.js";

/** The cached session under `key` if it is still fresh at `now`; undefined for a miss of any kind. */
function freshEntry(dir: string, key: string, now: Date) {
  const found = lookupEntry(dir, key, now);
  return "credentials" in found ? found.credentials : undefined;
}

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
    profile: { role_arn: ROLE, credential_source: "Environment", external_id: "ext-1234", role_session_name: "alice", mfa_serial: MFA, duration_seconds: "900", region: "eu-west-1" },
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
    const config = { configFile: "/c", credentialsFile: "/k", profiles: new Map([["p", profile], ["base", { aws_access_key_id: "AKIDBASE", aws_secret_access_key: "s" }]]) };
    const source = credentialSourceFor({ profileArg: "p", env: { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "s" }, config });
    expect(source.kind === "assume-role" ? roleArgs(source) : source.kind).toEqual(args);
  });

  it("lives in ~/.aws/cli/cache of the HOME given, unless overridden", () => {
    expect(cliCacheDir({ HOME: "/home/u" })).toBe("/home/u/.aws/cli/cache");
    expect(cliCacheDir({ HOME: "/home/u", AWS_CLI_CACHE_DIR: "/elsewhere" })).toBe("/elsewhere");
  });
});

describe("Expiration", () => {
  const expected = Date.UTC(2030, 0, 2, 3, 4, 5);
  it.each([
    ["2030-01-02T03:04:05Z", "STS wire form, kept by the CLI v1"],
    ["2030-01-02T03:04:05+00:00", "Python isoformat(), the CLI v2"],
    ["2030-01-02T03:04:05UTC", "botocore JSONFileCache strftime %Z"],
    ["2030-01-02T03:04:05.000Z", "JavaScript toISOString()"],
    ["2030-01-02T05:04:05+02:00", "another offset"],
  ])("reads %s (%s)", (text) => {
    expect(parseExpiration(text)?.getTime()).toBe(expected);
  });

  it.each([["2030-01-02"], ["yesterday"], [""], [1893553445]])("refuses %s", (value) => {
    expect(parseExpiration(value)).toBeUndefined();
  });
});

/** A temporary cache directory per test. */
let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "gcc-role-cache-")), "cli", "cache");
});
afterEach(() => {
  rmSync(join(dir, "..", ".."), { recursive: true, force: true });
});

const KEY = "af854889538ac1a069a8274d5ee4dc500f8b1f91";

function entry(expiration: string): string {
  return JSON.stringify({ Credentials: { AccessKeyId: "ASIACACHED", SecretAccessKey: "cached-secret", SessionToken: "cached-token", Expiration: expiration } });
}

describe("the 15-minute window (fixed clock)", () => {
  const expiration = "2030-01-01T12:00:00Z";
  const at = (iso: string) => new Date(iso);

  it.each([
    ["2030-01-01T11:00:00Z", true],
    ["2030-01-01T11:45:00Z", true], // exactly 15 minutes left: botocore reuses (expired only below)
    ["2030-01-01T11:45:00.001Z", false],
    ["2030-01-01T11:50:00Z", false],
    ["2030-01-01T13:00:00Z", false],
  ])("at %s reuse is %s", (now, reused) => {
    writeCacheEntry(dir, KEY, entry(expiration));
    expect(freshEntry(dir, KEY, at(now)) !== undefined).toBe(reused);
  });

  it("holds for all three Expiration forms", () => {
    for (const form of ["2030-01-01T12:00:00Z", "2030-01-01T12:00:00+00:00", "2030-01-01T12:00:00UTC"]) {
      writeCacheEntry(dir, KEY, entry(form));
      expect(freshEntry(dir, KEY, at("2030-01-01T11:45:00Z"))?.accessKeyId).toBe("ASIACACHED");
      expect(freshEntry(dir, KEY, at("2030-01-01T11:46:00Z"))).toBeUndefined();
    }
  });
});

describe("cache files", () => {
  const now = new Date("2030-01-01T00:00:00Z");

  it("are written 0600 in a 0700 directory, in the CLI's format", () => {
    const creds = { accessKeyId: "ASIAX", secretAccessKey: "s", sessionToken: "t", expiration: new Date("2030-01-01T01:00:00.000Z"), accountId: "123456789012" };
    writeCacheEntry(dir, KEY, formatCacheEntry(creds, { assumedRoleUser: { AssumedRoleId: "AROAX:s", Arn: "arn:aws:sts::123456789012:assumed-role/dev/s" }, requestId: "r-1" }));
    expect(statSync(cacheFile(dir, KEY)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(cacheFile(dir, KEY), "utf8")).toBe(
      '{"Credentials": {"AccessKeyId": "ASIAX", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2030-01-01T01:00:00Z", "AccountId": "123456789012"}, ' +
        '"AssumedRoleUser": {"AssumedRoleId": "AROAX:s", "Arn": "arn:aws:sts::123456789012:assumed-role/dev/s"}, ' +
        '"ResponseMetadata": {"RequestId": "r-1", "HTTPStatusCode": 200, "RetryAttempts": 0}}',
    );
    expect(readdirSync(dir)).toEqual([`${KEY}.json`]);
    expect(parseCacheEntry(readFileSync(cacheFile(dir, KEY), "utf8"))).toEqual(creds);
  });

  it("replace the old entry whole", () => {
    writeCacheEntry(dir, KEY, entry("2030-01-01T05:00:00Z"));
    writeCacheEntry(dir, KEY, entry("2030-01-01T06:00:00Z"));
    expect(freshEntry(dir, KEY, now)?.expiration.toISOString()).toBe("2030-01-01T06:00:00.000Z");
    expect(readdirSync(dir)).toEqual([`${KEY}.json`]);
  });

  it.each([
    ["empty", ""],
    ["truncated", entry("2030-01-01T05:00:00Z").slice(0, 60)],
    ["not JSON", "\u0000\u0001garbage"],
    ["JSON null", "null"],
    ["no Credentials", '{"AssumedRoleUser": {}}'],
    ["no SessionToken", '{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2030-01-01T05:00:00Z"}}'],
    ["bad Expiration", '{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "soon"}}'],
  ])("that are damaged (%s) are a miss", (_, text) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(cacheFile(dir, KEY), text);
    expect(freshEntry(dir, KEY, now)).toBeUndefined();
  });

  it("that cannot be read (a directory in the way) are a miss", () => {
    mkdirSync(cacheFile(dir, KEY), { recursive: true });
    expect(freshEntry(dir, KEY, now)).toBeUndefined();
  });
});

describe("the lock", () => {
  beforeEach(() => mkdirSync(dir, { recursive: true }));
  const path = () => join(dir, `${KEY}.lock`);

  it("is held by one, released by it, then free again", async () => {
    const first = await acquireLock(path(), fakeLock(), () => undefined);
    expect(first.kind).toBe("held");
    expect(statSync(path()).mode & 0o777).toBe(0o600);
    const second = await acquireLock(path(), fakeLock({ pid: 101 }), () => undefined);
    expect(second.kind).toBe("timed-out");
    if (first.kind === "held") first.release();
    expect(existsSync(path())).toBe(false);
    expect((await acquireLock(path(), fakeLock({ pid: 101 }), () => undefined)).kind).toBe("held");
  });

  it("lets a waiter return what the holder made", async () => {
    await acquireLock(path(), fakeLock(), () => undefined);
    let polls = 0;
    const waiter = await acquireLock(path(), fakeLock({ pid: 101 }), () => (++polls === 3 ? "made" : undefined));
    expect(waiter).toEqual({ kind: "ready", value: "made" });
  });

  it("is broken at once when its holder on this host has died", async () => {
    await acquireLock(path(), fakeLock({ pid: 4242 }), () => undefined);
    const clock = { wall: 1_000_000, mono: 0 };
    const next = await acquireLock(path(), fakeLock({ pid: 101, clock, isAlive: (pid) => pid !== 4242 }), () => undefined);
    expect(next.kind).toBe("held");
    expect(clock.mono).toBe(0);
    expect(JSON.parse(readFileSync(path(), "utf8")).pid).toBe(101);
  });

  it("is broken when older than its stale age, whoever holds it", async () => {
    await acquireLock(path(), fakeLock({ host: "other-host" }), () => undefined);
    const clock = { wall: 1_000_000 + 5_001, mono: 0 };
    expect((await acquireLock(path(), fakeLock({ pid: 101, clock }), () => undefined)).kind).toBe("held");
  });

  it("of another host is not judged by pid: waited on for its bounded share, then taken over", async () => {
    await acquireLock(path(), fakeLock({ host: "other-host", pid: 4242 }), () => undefined);
    const clock = { wall: 1_000_000, mono: 0 };
    const next = await acquireLock(path(), fakeLock({ pid: 101, clock, isAlive: () => false }), () => undefined);
    expect(next.kind).toBe("held");
    expect(clock.mono).toBe(300);
    expect(JSON.parse(readFileSync(path(), "utf8")).pid).toBe(101);
  });

  it("of a pid now running another process (a reused pid) is taken over at once", async () => {
    writeFileSync(path(), JSON.stringify({ pid: 4242, host: "here", created: 1_000_000, nonce: "0123456789abcdef", start: "start-of-the-holder" }));
    const clock = { wall: 1_000_000, mono: 0 };
    const next = await acquireLock(path(), fakeLock({ pid: 101, clock }), () => undefined);
    expect(next.kind).toBe("held");
    expect(clock.mono).toBe(0);
    expect(JSON.parse(readFileSync(path(), "utf8"))).toMatchObject({ pid: 101, start: "start-101" });
  });

  it("of a live pid whose start cannot be compared is waited on for the bounded share only", async () => {
    writeFileSync(path(), JSON.stringify({ pid: 4242, host: "here", created: 1_000_000, nonce: "0123456789abcdef" }));
    const clock = { wall: 1_000_000, mono: 0 };
    expect((await acquireLock(path(), fakeLock({ pid: 101, clock }), () => undefined)).kind).toBe("held");
    expect(clock.mono).toBe(300);
  });

  it.each([
    ["this host", "here"],
    ["another host", "other-host"],
  ])("of %s dated beyond the clock-skew allowance is taken over at once; within it, it is judged as any other", async (_, host) => {
    writeFileSync(path(), JSON.stringify({ pid: 4242, host, created: 1_000_000 + 2_001, nonce: "0123456789abcdef", start: "start-4242" }));
    const clock = { wall: 1_000_000, mono: 0 };
    expect((await acquireLock(path(), fakeLock({ pid: 101, clock }), () => undefined)).kind).toBe("held");
    expect(clock.mono).toBe(0);
    writeFileSync(path(), JSON.stringify({ pid: 4242, host, created: 1_000_000 + 2_000, nonce: "0123456789abcdef", start: "start-4242" }));
    const within = { wall: 1_000_000, mono: 0 };
    const outcome = await acquireLock(path(), fakeLock({ pid: 101, clock: within }), () => undefined);
    // This host: a live holder, waited on for the whole wait; another host: the bounded share, then taken over.
    expect([outcome.kind, within.mono]).toEqual(host === "here" ? ["timed-out", 1_000] : ["held", 300]);
  });

  it("a crowd behind a holder that cannot be judged: exactly one takes over, the others wait on it", async () => {
    await acquireLock(path(), fakeLock({ host: "other-host", pid: 4242 }), () => undefined);
    // One shared clock; each sleep also yields, so the waiters interleave as processes would.
    const clock = { wall: 1_000_000, mono: 0 };
    const sleep = async (ms: number) => {
      clock.mono += ms / 8;
      clock.wall += ms / 8;
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => acquireLock(path(), fakeLock({ pid: 200 + i, clock, sleep }), () => undefined)));
    const kinds = outcomes.map((o) => o.kind).sort();
    expect(kinds).toEqual(["held", "timed-out", "timed-out", "timed-out", "timed-out", "timed-out", "timed-out", "timed-out"]);
    const holder = JSON.parse(readFileSync(path(), "utf8")) as { pid: number };
    expect(outcomes[holder.pid - 200]?.kind).toBe("held");
    expect(readdirSync(dir).sort()).toEqual([path().replace(/^.*\//, "")]);
  });

  it("that is garbage is broken", async () => {
    writeFileSync(path(), "not a lock");
    expect((await acquireLock(path(), fakeLock(), () => undefined)).kind).toBe("held");
  });

  it("is not released by a holder whose lock was broken and retaken", async () => {
    const old = await acquireLock(path(), fakeLock({ pid: 4242 }), () => undefined);
    const now = await acquireLock(path(), fakeLock({ pid: 101, isAlive: (p) => p !== 4242 }), () => undefined);
    expect(now.kind).toBe("held");
    if (old.kind === "held") old.release();
    expect(JSON.parse(readFileSync(path(), "utf8")).pid).toBe(101);
  });

  it("is unavailable, not an error, where it cannot be made", async () => {
    const outcome = await acquireLock(join(dir, "missing", "x.lock"), fakeLock(), () => undefined);
    expect(outcome.kind).toBe("unavailable");
  });
});

/** A SessionCache on a fixed clock and fake lock timing. */
function sessionCache(now: Date, lock: Partial<LockOptions> = {}): SessionCache {
  return {
    dir,
    now: () => now,
    trace: createTracer(false, () => {}),
    lockOptions: () => fakeLock(lock),
    waitingOnPerson: (wait) => wait(),
  };
}

const NOW = new Date("2030-01-01T00:00:00Z");

function issued(n: number, hours = 1) {
  return {
    credentials: { accessKeyId: `ASIAFRESH${n}`, secretAccessKey: `secret-${n}`, sessionToken: `token-${n}`, expiration: new Date(NOW.getTime() + hours * 3_600_000) },
  };
}

describe("cachedSession", () => {
  it("refreshes on a miss, writes, and reuses the entry after", async () => {
    let calls = 0;
    const refresh = async () => issued(++calls);
    const first = await cachedSession(sessionCache(NOW), KEY, { label: "t", mfa: false }, refresh);
    const second = await cachedSession(sessionCache(NOW), KEY, { label: "t", mfa: false }, refresh);
    expect([first.accessKeyId, second.accessKeyId, calls]).toEqual(["ASIAFRESH1", "ASIAFRESH1", 1]);
    expect(existsSync(lockFile(dir, KEY))).toBe(false);
  });

  it("refreshes and overwrites an entry with less than 15 minutes left", async () => {
    writeCacheEntry(dir, KEY, entry("2030-01-01T00:14:59Z"));
    const got = await cachedSession(sessionCache(NOW), KEY, { label: "t", mfa: false }, async () => issued(7));
    expect(got.accessKeyId).toBe("ASIAFRESH7");
    expect(freshEntry(dir, KEY, NOW)?.accessKeyId).toBe("ASIAFRESH7");
  });

  it("coalesces concurrent misses in one process into one refresh", async () => {
    // The refresh finishes only once the others are seen polling the lock (a gate, not a delay);
    // the lock's wait is a hang bound, far beyond what any machine needs.
    let polls = 0;
    let openGate!: () => void;
    const othersWaiting = new Promise<void>((resolve) => (openGate = resolve));
    const sleep = (ms: number): Promise<void> => {
      if (++polls === 7) openGate();
      return new Promise((resolve) => setTimeout(resolve, ms));
    };
    let calls = 0;
    const refresh = async () => {
      await othersWaiting;
      return issued(++calls);
    };
    const cache: SessionCache = { ...sessionCache(NOW), lockOptions: () => fakeLock({ waitMs: 600_000, sleep, monotonicMs: () => performance.now() }) };
    const got = await Promise.all(Array.from({ length: 8 }, () => cachedSession(cache, KEY, { label: "t", mfa: false }, refresh)));
    expect(calls).toBe(1);
    expect(polls).toBeGreaterThanOrEqual(7);
    expect(new Set(got.map((c) => c.accessKeyId))).toEqual(new Set(["ASIAFRESH1"]));
  });

  it("still answers when the directory cannot be created", async () => {
    writeFileSync(join(dir, "..", "..", "blocker"), "");
    const blocked = join(dir, "..", "..", "blocker", "cache");
    const cache = { ...sessionCache(NOW), dir: blocked };
    const got = await cachedSession(cache, KEY, { label: "t", mfa: false }, async () => issued(3));
    expect(got.accessKeyId).toBe("ASIAFRESH3");
  });

  it("still answers when the entry cannot be replaced", async () => {
    mkdirSync(join(cacheFile(dir, KEY), "in-the-way"), { recursive: true });
    const got = await cachedSession(sessionCache(NOW), KEY, { label: "t", mfa: false }, async () => issued(4));
    expect(got.accessKeyId).toBe("ASIAFRESH4");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

/** A config with a three-hop chain: outer → middle → base (static keys). */
describe("the AssumeRole request", () => {
  it("sends what the profile says, as the CLI does, not the SDK's defaults", () => {
    expect(cliRequest({ RoleArn: ROLE }, new Date("2030-01-01T00:00:00Z"), undefined)).toEqual({ RoleArn: ROLE, RoleSessionName: "botocore-session-1893456000" });
    expect(cliRequest({ RoleArn: ROLE, RoleSessionName: "alice", ExternalId: "x", DurationSeconds: 900, SerialNumber: MFA }, NOW, "123456")).toEqual({
      RoleArn: ROLE,
      RoleSessionName: "alice",
      ExternalId: "x",
      DurationSeconds: 900,
      SerialNumber: MFA,
      TokenCode: "123456",
    });
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
