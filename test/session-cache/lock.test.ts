/**
 * The lock beside a cache entry, on fake clocks and a fake process table: one holder at a time; a
 * waiter gets what the holder made; a dead, zombie, reused-pid, stale, future-dated or garbage
 * holder is taken over at once, one that cannot be judged after its bounded share, and in a crowd
 * by exactly one waiter; nothing is left behind and nothing foreign is removed.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, type LockOptions, lockOptionsForThisProcess } from "../../src/session-cache/lock.js";
import { fakeLock } from "../support/fake-lock.js";

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "gcc-lock-")), "cli", "cache");
  mkdirSync(dir, { recursive: true });
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

describe("the lock", () => {
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
    writeFileSync(
      path(),
      JSON.stringify({ pid: 4242, host: "here", created: 1_000_000, nonce: "0123456789abcdef", start: "start-of-the-holder" }),
    );
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
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => acquireLock(path(), fakeLock({ pid: 200 + i, clock, sleep }), () => undefined)),
    );
    const kinds = outcomes.map((o) => o.kind).sort();
    expect(kinds).toEqual(["held", "timed-out", "timed-out", "timed-out", "timed-out", "timed-out", "timed-out", "timed-out"]);
    const holder = JSON.parse(readFileSync(path(), "utf8")) as { pid: number };
    expect(outcomes[holder.pid - 200]?.kind).toBe("held");
    expect(readdirSync(dir).sort()).toEqual([path().replace(/^.*\//, "")]);
  });

  it("is looked at after pauses that grow to their longest, and never past the end of a wait", async () => {
    await acquireLock(path(), fakeLock(), () => undefined);
    // pollMs 10, doubling, at most 40; a live holder is waited on for 100 ms.
    const clock = { wall: 1_000_000, mono: 0 };
    const pauses: number[] = [];
    const sleep = async (ms: number) => {
      pauses.push(ms);
      clock.mono += ms;
      clock.wall += ms;
    };
    const live = await acquireLock(path(), fakeLock({ pid: 101, clock, sleep, waitMs: 100 }), () => undefined);
    expect([live.kind, pauses, clock.mono]).toEqual(["timed-out", [10, 20, 40, 30], 100]);
    // Another host's holder: the bounded share (70 ms) ends the pauses early, then it is taken over.
    writeFileSync(path(), JSON.stringify({ pid: 4242, host: "other-host", created: 1_000_000, nonce: "0123456789abcdef" }));
    const other = { wall: 1_000_000, mono: 0 };
    pauses.length = 0;
    const sleepOther = async (ms: number) => {
      pauses.push(ms);
      other.mono += ms;
      other.wall += ms;
    };
    const taken = await acquireLock(path(), fakeLock({ pid: 101, clock: other, sleep: sleepOther, unjudgedWaitMs: 70 }), () => undefined);
    expect([taken.kind, pauses, other.mono]).toEqual(["held", [10, 20, 40], 70]);
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

describe("the lock: nothing left behind, nothing foreign removed", () => {
  it.each([
    ["a directory", (p: string) => mkdirSync(p)],
    ["a FIFO", (p: string) => execFileSync("mkfifo", [p])],
    ["a link to /dev/zero", (p: string) => symlinkSync("/dev/zero", p)],
  ])("a lock path that is %s: unavailable, left as it is, no .broken or .tmp beside it", async (_, make) => {
    const path = join(dir, "k.lock");
    make(path);
    const outcome = await acquireLock(path, ownedLock(), () => undefined);
    expect(outcome.kind).toBe("unavailable");
    expect(readdirSync(dir)).toEqual(["k.lock"]);
  });
  it("an oversize lock file of ours is broken as a corrupt one, and taken", async () => {
    const path = join(dir, "k.lock");
    writeFileSync(path, "");
    truncateSync(path, 10_000_000);
    const outcome = await acquireLock(path, ownedLock(), () => undefined);
    expect(outcome.kind).toBe("held");
    if (outcome.kind === "held") outcome.release();
    expect(readdirSync(dir)).toEqual([]);
  });
  it("a holder that exits without releasing has its lock released by the exit hook", async () => {
    let atExit: (() => void) | undefined;
    const options = ownedLock({ onExit: (release) => ((atExit = release), () => (atExit = undefined)) });
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
      const options = lockOptionsForThisProcess(
        { waitMs: 0, unjudgedWaitMs: 0, staleMs: 0, skewMs: 0, pollMs: 0, pollGrowth: 1, pollMaxMs: 0 },
        () => Date.now(),
      );
      for (let i = 0; i < 500 && options.isAlive(pid); i++) await new Promise((r) => setTimeout(r, 10));
      expect(options.isAlive(pid)).toBe(false);
      expect(options.isAlive(parent.pid!)).toBe(true);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});
