/**
 * An entry of the AWS CLI's cache: the Expiration forms writers use (and what Python's datetime
 * refuses), the 15-minute window on a fixed clock, the CLI's file format and modes, and damaged or
 * unusable entries, each a miss that says why.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseExpiration } from "../../src/aws-config/expiration.js";
import { formatCacheEntry, lookupEntry, parseCacheEntry, writeCacheEntry } from "../../src/session-cache/entry.js";
import { cacheFile } from "../../src/session-cache/key.js";

/** The cached session under `key` if it is still fresh at `now`; undefined for a miss of any kind. */
function freshEntry(dir: string, key: string, now: Date) {
  const found = lookupEntry(dir, key, now);
  return "credentials" in found ? found.credentials : undefined;
}

/** A temporary cache directory per test, not yet created (writing an entry creates it 0700). */
let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "gcc-entry-")), "cli", "cache");
});
afterEach(() => {
  rmSync(join(dir, "..", ".."), { recursive: true, force: true });
});

const KEY = "af854889538ac1a069a8274d5ee4dc500f8b1f91";
const NOW = new Date("2030-01-01T00:00:00Z");
const ME = process.getuid?.();

function entry(expiration: string): string {
  return JSON.stringify({
    Credentials: { AccessKeyId: "ASIACACHED", SecretAccessKey: "cached-secret", SessionToken: "cached-token", Expiration: expiration },
  });
}

function entryWith(over: Record<string, string> = {}): string {
  return JSON.stringify({
    Credentials: {
      AccessKeyId: "ASIACACHED",
      SecretAccessKey: "cached-secret",
      SessionToken: "cached-token",
      Expiration: "2030-01-01T06:00:00Z",
      ...over,
    },
  });
}

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

describe("parseExpiration: what Python's datetime accepts, no roll-over", () => {
  it.each([
    "2099-13-45T99:99:99Z",
    "2030-02-30T00:00:00Z",
    "2030-01-01T24:00:00Z",
    "2030-01-01T23:60:00Z",
    "2030-01-01T23:59:60Z",
    "2030-01-01T00:00:00+24:00",
    "2030-01-01T00:00:00+05:60",
    "0050-01-01T00:00:00Z",
  ])("%s is refused", (text) => expect(parseExpiration(text)).toBeUndefined());
  it.each([
    ["2028-02-29T23:59:59Z", "2028-02-29T23:59:59.000Z"],
    ["2030-01-01T05:30:00+05:30", "2030-01-01T00:00:00.000Z"],
    ["2030-01-01T00:00:00UTC", "2030-01-01T00:00:00.000Z"],
  ])("%s is %s", (text, iso) => expect(parseExpiration(text)?.toISOString()).toBe(iso));
});

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
    const creds = {
      accessKeyId: "ASIAX",
      secretAccessKey: "s",
      sessionToken: "t",
      expiration: new Date("2030-01-01T01:00:00.000Z"),
      accountId: "123456789012",
    };
    writeCacheEntry(
      dir,
      KEY,
      formatCacheEntry(creds, {
        assumedRoleUser: { AssumedRoleId: "AROAX:s", Arn: "arn:aws:sts::123456789012:assumed-role/dev/s" },
        requestId: "r-1",
      }),
    );
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

describe("parseCacheEntry: a control character is a miss", () => {
  it.each([
    ["a newline in the token", { SessionToken: "tok\nquit=1" }],
    ["a NUL in the key id", { AccessKeyId: "ASIA\u0000X" }],
    ["a CR in the secret", { SecretAccessKey: "sec\rret" }],
    ["a DEL in the token", { SessionToken: "tok\u007f" }],
  ])("%s", (_, over) => expect(parseCacheEntry(entryWith(over))).toBeUndefined());
  it("a clean entry still parses", () => expect(parseCacheEntry(entryWith())?.accessKeyId).toBe("ASIACACHED"));
});

describe("lookupEntry", () => {
  beforeEach(() => mkdirSync(dir, { recursive: true }));
  it("lookupEntry says why it missed", () => {
    writeFileSync(join(dir, `${KEY}.json`), entryWith({ SessionToken: "a\nb" }));
    expect(lookupEntry(dir, KEY, NOW, ME)).toEqual({ miss: `${KEY}.json is not a usable cache entry` });
    expect(lookupEntry(join(dir, "none"), KEY, NOW, ME)).toEqual({ miss: "absent" });
  });
});
