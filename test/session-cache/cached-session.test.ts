/**
 * One cached session the way every caller needs it: the entry while fresh, else one refresh under
 * the lock, written for the next run and the AWS CLI; concurrent misses in one process coalesce; a
 * cache that cannot be made, written or trusted never fails the answer; and what a waiter does
 * when a live holder is too slow.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HelperError } from "../../src/errors.js";
import { cachedSession, lockFile, type SessionCache } from "../../src/session-cache/cached-session.js";
import { lookupEntry, writeCacheEntry } from "../../src/session-cache/entry.js";
import { cacheFile } from "../../src/session-cache/key.js";
import type { LockOptions } from "../../src/session-cache/lock.js";
import { createTracer } from "../../src/trace.js";
import { fakeLock } from "../support/fake-lock.js";

/** The cached session under `key` if it is still fresh at `now`; undefined for a miss of any kind. */
function freshEntry(dir: string, key: string, now: Date) {
  const found = lookupEntry(dir, key, now);
  return "credentials" in found ? found.credentials : undefined;
}

/** A temporary cache directory per test, not yet created. */
let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "gcc-cached-session-")), "cli", "cache");
});
afterEach(() => {
  rmSync(join(dir, "..", ".."), { recursive: true, force: true });
});

const KEY = "af854889538ac1a069a8274d5ee4dc500f8b1f91";
const ME = process.getuid?.();

/** The fake-clock lock options, owned by this user (the lock then checks its file's owner). */
function ownedLock(over: Partial<LockOptions> = {}): LockOptions {
  return fakeLock({ owner: ME, ...over });
}

function entry(expiration: string): string {
  return JSON.stringify({
    Credentials: { AccessKeyId: "ASIACACHED", SecretAccessKey: "cached-secret", SessionToken: "cached-token", Expiration: expiration },
  });
}

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
    credentials: {
      accessKeyId: `ASIAFRESH${n}`,
      secretAccessKey: `secret-${n}`,
      sessionToken: `token-${n}`,
      expiration: new Date(NOW.getTime() + hours * 3_600_000),
    },
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
    const cache: SessionCache = {
      ...sessionCache(NOW),
      lockOptions: () => fakeLock({ waitMs: 600_000, sleep, monotonicMs: () => performance.now() }),
    };
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

describe("cachedSession: the waiting policy", () => {
  beforeEach(() => mkdirSync(dir, { recursive: true }));
  function cache(lock: Partial<LockOptions>): SessionCache {
    return { dir, now: () => NOW, trace: createTracer(false, () => {}), lockOptions: () => ownedLock(lock), waitingOnPerson: (w) => w() };
  }
  const fresh = async () => ({
    credentials: { accessKeyId: "ASIANEW", secretAccessKey: "s", sessionToken: "t", expiration: new Date(NOW.getTime() + 3_600_000) },
  });

  it('"fail": a waiter behind a slow holder gives up with one line and calls nothing', async () => {
    // A live holder on this host, judged by its process start: waited on for the whole wait.
    writeFileSync(lockFile(dir, KEY), JSON.stringify({ pid: 99, host: "here", created: 1_000_000, nonce: "n", start: "start-99" }));
    let called = 0;
    const err = await cachedSession(
      cache({ afterWait: "fail", staleMs: 60_000 }),
      KEY,
      { label: "p (role)", mfa: false },
      () => (called++, fresh()),
    ).catch((e: unknown) => e);
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
