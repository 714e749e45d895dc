/**
 * Issue 9 at function level: the session cache reads only what it can trust, without blocking or
 * reading without bound; bad entries are misses; the lock leaves nothing behind and knows a zombie
 * from a live holder; a waiter can be told to fail rather than join a slow STS. (The same faults
 * through the built binary: test/e2e/hostile.test.ts and test/e2e/load.test.ts.)
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HelperError } from "../src/errors.js";
import { acquireLock, type LockOptions, lockOptionsForThisProcess } from "../src/session-cache/lock.js";
import { fakeLock as sharedFakeLock } from "./support/fake-lock.js";
import { cachedSession, lockFile, type SessionCache } from "../src/session-cache/cached-session.js";
import { readCacheText, readOwnFile, untrustedDirectory } from "../src/session-cache/own-file.js";
import { lookupEntry, MAX_ENTRY_BYTES, parseCacheEntry, parseExpiration } from "../src/session-cache/entry.js";
import { createTracer } from "../src/trace.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gcc-hardening-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date("2030-01-01T00:00:00Z");
const KEY = "0123456789abcdef0123456789abcdef01234567";
const ME = process.getuid?.();
const OTHER = ME === 65534 ? 65533 : 65534;

function entry(over: Record<string, string> = {}): string {
  return JSON.stringify({ Credentials: { AccessKeyId: "ASIACACHED", SecretAccessKey: "cached-secret", SessionToken: "cached-token", Expiration: "2030-01-01T06:00:00Z", ...over } });
}

describe("parseExpiration: what Python's datetime accepts, no roll-over", () => {
  it.each(["2099-13-45T99:99:99Z", "2030-02-30T00:00:00Z", "2030-01-01T24:00:00Z", "2030-01-01T23:60:00Z", "2030-01-01T23:59:60Z", "2030-01-01T00:00:00+24:00", "2030-01-01T00:00:00+05:60", "0050-01-01T00:00:00Z"])(
    "%s is refused",
    (text) => expect(parseExpiration(text)).toBeUndefined(),
  );
  it.each([
    ["2028-02-29T23:59:59Z", "2028-02-29T23:59:59.000Z"],
    ["2030-01-01T05:30:00+05:30", "2030-01-01T00:00:00.000Z"],
    ["2030-01-01T00:00:00UTC", "2030-01-01T00:00:00.000Z"],
  ])("%s is %s", (text, iso) => expect(parseExpiration(text)?.toISOString()).toBe(iso));
});

describe("parseCacheEntry: a control character is a miss", () => {
  it.each([
    ["a newline in the token", { SessionToken: "tok\nquit=1" }],
    ["a NUL in the key id", { AccessKeyId: "ASIA\u0000X" }],
    ["a CR in the secret", { SecretAccessKey: "sec\rret" }],
    ["a DEL in the token", { SessionToken: "tok\u007f" }],
  ])("%s", (_, over) => expect(parseCacheEntry(entry(over))).toBeUndefined());
  it("a clean entry still parses", () => expect(parseCacheEntry(entry())?.accessKeyId).toBe("ASIACACHED"));
});

describe("readOwnFile: never blocks, never reads without bound", () => {
  it("a FIFO is not a regular file (and opening it does not wait for a writer)", () => {
    execFileSync("mkfifo", [join(dir, "fifo")]);
    expect(readOwnFile(join(dir, "fifo"), 100, ME)).toEqual({ problem: "not a regular file", kind: "foreign" });
  });
  it("a symbolic link, even to a regular file, is not followed", () => {
    writeFileSync(join(dir, "real"), "x");
    symlinkSync("/dev/zero", join(dir, "zero"));
    symlinkSync(join(dir, "real"), join(dir, "link"));
    for (const name of ["zero", "link"]) expect(readOwnFile(join(dir, name), 100, ME)).toEqual({ problem: "a symbolic link, not a regular file", kind: "foreign" });
  });
  it("a file over the limit is refused by its size, unread", () => {
    writeFileSync(join(dir, "big"), "");
    truncateSync(join(dir, "big"), 512 * 1024 * 1024);
    expect(readOwnFile(join(dir, "big"), MAX_ENTRY_BYTES, ME)).toEqual({ problem: "536870912 bytes, over the 65536-byte limit", kind: "oversize" });
  });
  it.skipIf(ME === undefined || ME !== 0)("another user's file is foreign (chown needs root)", () => {
    writeFileSync(join(dir, "theirs"), "x");
    chownSync(join(dir, "theirs"), OTHER, OTHER);
    expect(readOwnFile(join(dir, "theirs"), 100, ME)).toEqual({ problem: `owned by uid ${OTHER}, not by this user`, kind: "foreign" });
  });
  it("an unchanged file is not read twice; a replaced one is", () => {
    const file = join(dir, "e");
    writeFileSync(file, "one");
    const first = readOwnFile(file, 100, ME);
    expect(first).toMatchObject({ text: "one" });
    const id = (first as { id: string }).id;
    expect(readOwnFile(file, 100, ME, id)).toEqual({ unchanged: true, id });
    writeFileSync(join(dir, "e2"), "two!");
    execFileSync("mv", [join(dir, "e2"), file]);
    expect(readOwnFile(file, 100, ME, id)).toMatchObject({ text: "two!" });
  });
  it("a world-writable directory is untrusted; group-writable is not", () => {
    chmodSync(dir, 0o777);
    expect(untrustedDirectory(dir, ME ?? 0)).toBe(`${dir} is writable by other users`);
    chmodSync(dir, 0o770);
    expect(untrustedDirectory(dir, ME ?? 0)).toBeUndefined();
    expect(untrustedDirectory(dir, undefined)).toBeUndefined();
  });
  it("readCacheText (SSO token and login caches) throws for a FIFO or /dev/zero instead of hanging", () => {
    execFileSync("mkfifo", [join(dir, "token.json")]);
    symlinkSync("/dev/zero", join(dir, "login.json"));
    expect(() => readCacheText(join(dir, "token.json"))).toThrow(`${join(dir, "token.json")} is not a regular file`);
    expect(() => readCacheText(join(dir, "login.json"))).toThrow(`${join(dir, "login.json")} is a symbolic link, not a regular file`);
    writeFileSync(join(dir, "ok.json"), "{}");
    expect(readCacheText(join(dir, "ok.json"))).toBe("{}");
  });
  it("lookupEntry says why it missed", () => {
    writeFileSync(join(dir, `${KEY}.json`), entry({ SessionToken: "a\nb" }));
    expect(lookupEntry(dir, KEY, NOW, ME)).toEqual({ miss: `${KEY}.json is not a usable cache entry` });
    expect(lookupEntry(join(dir, "none"), KEY, NOW, ME)).toEqual({ miss: "absent" });
  });
});

/** The shared fake-clock lock options, owned by this user (the lock checks its owner). */
function fakeLock(over: Partial<LockOptions> = {}): LockOptions {
  return sharedFakeLock({ owner: ME, ...over });
}

describe("the lock: nothing left behind, nothing foreign removed", () => {
  it.each([
    ["a directory", (p: string) => mkdirSync(p)],
    ["a FIFO", (p: string) => execFileSync("mkfifo", [p])],
    ["a link to /dev/zero", (p: string) => symlinkSync("/dev/zero", p)],
  ])("a lock path that is %s: unavailable, left as it is, no .broken or .tmp beside it", async (_, make) => {
    const path = join(dir, "k.lock");
    make(path);
    const outcome = await acquireLock(path, fakeLock(), () => undefined);
    expect(outcome.kind).toBe("unavailable");
    expect(readdirSync(dir)).toEqual(["k.lock"]);
  });
  it("an oversize lock file of ours is broken as a corrupt one, and taken", async () => {
    const path = join(dir, "k.lock");
    writeFileSync(path, "");
    truncateSync(path, 10_000_000);
    const outcome = await acquireLock(path, fakeLock(), () => undefined);
    expect(outcome.kind).toBe("held");
    if (outcome.kind === "held") outcome.release();
    expect(readdirSync(dir)).toEqual([]);
  });
  it("a holder that exits without releasing has its lock released by the exit hook", async () => {
    let atExit: (() => void) | undefined;
    const options = fakeLock({ onExit: (release) => ((atExit = release), () => (atExit = undefined)) });
    const outcome = await acquireLock(join(dir, "k.lock"), options, () => undefined);
    expect(outcome.kind).toBe("held");
    expect(existsSync(join(dir, "k.lock"))).toBe(true);
    atExit?.();
    expect(existsSync(join(dir, "k.lock"))).toBe(false);
    // And a normal release unregisters it.
    const again = await acquireLock(join(dir, "k.lock"), options, () => undefined);
    if (again.kind === "held") again.release();
    expect(atExit).toBeUndefined();
  });
  it("a zombie is not alive (Linux)", async () => {
    // `exec sleep` inherits the short-lived child and never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()))));
      const options = lockOptionsForThisProcess({ waitMs: 0, unjudgedWaitMs: 0, staleMs: 0, skewMs: 0, pollMs: 0 }, () => Date.now());
      for (let i = 0; i < 500 && options.isAlive(pid); i++) await new Promise((r) => setTimeout(r, 10));
      expect(options.isAlive(pid)).toBe(false);
      expect(options.isAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});

describe("cachedSession: the waiting policy", () => {
  function cache(lock: Partial<LockOptions>): SessionCache {
    return { dir, now: () => NOW, trace: createTracer(false, () => {}), lockOptions: () => fakeLock(lock), waitingOnPerson: (w) => w() };
  }
  const fresh = async () => ({ credentials: { accessKeyId: "ASIANEW", secretAccessKey: "s", sessionToken: "t", expiration: new Date(NOW.getTime() + 3_600_000) } });

  it('"fail": a waiter behind a slow holder gives up with one line and calls nothing', async () => {
    // A live holder on this host, judged by its process start: waited on for the whole wait.
    writeFileSync(lockFile(dir, KEY), JSON.stringify({ pid: 99, host: "here", created: 1_000_000, nonce: "n", start: "start-99" }));
    let called = 0;
    const err = await cachedSession(cache({ afterWait: "fail", staleMs: 60_000 }), KEY, { label: "p (role)", mfa: false }, () => (called++, fresh())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HelperError);
    expect((err as HelperError).userLine()).toBe(
      `git-credential-codecommit: another git-credential-codecommit has been getting the session for p (role) for 1 s without an answer (lock ${lockFile(dir, KEY)}). Check the network, proxy and endpoint settings, then try again`,
    );
    expect(called).toBe(0);
  });
  it('"refresh" (the default): the waiter calls itself', async () => {
    writeFileSync(lockFile(dir, KEY), JSON.stringify({ pid: 99, host: "here", created: 1_000_000, nonce: "n", start: "start-99" }));
    const got = await cachedSession(cache({ staleMs: 60_000 }), KEY, { label: "p", mfa: false }, fresh);
    expect(got.accessKeyId).toBe("ASIANEW");
  });
  it("in a world-writable directory: no lock is taken and nothing is written", async () => {
    chmodSync(dir, 0o777);
    const got = await cachedSession(cache({}), KEY, { label: "p", mfa: false }, fresh);
    expect(got.accessKeyId).toBe("ASIANEW");
    expect(readdirSync(dir)).toEqual([]);
  });
});
