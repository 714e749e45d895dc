/**
 * A lock file beside a cache entry, so that concurrent cold starts make one STS call between them
 * (contract §6): one process holds the lock and refreshes, the others wait and re-read the cache.
 *
 * The lock is created whole with `link(2)` (which fails if the name exists), so a waiter never sees
 * a half-written lock. It records who holds it; a lock whose holder is gone (a killed git, a helper
 * stopped by its own deadline) or that is older than its stale age is broken. Nothing here may fail
 * git: a directory where no lock can be made, or a wait that runs out, just means "go without".
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { randomHex } from "../hashes.js";

/** Who holds a lock; written into the lock file as JSON. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Wall-clock ms when taken. */
  readonly created: number;
  /** Tells this holder's lock from a later one that replaced it. */
  readonly nonce: string;
}

export interface LockOptions {
  /** How long a waiter waits for the holder before giving up on it (ms, monotonic). */
  readonly waitMs: number;
  /** A lock older than this (ms, by the wall clock) is presumed abandoned and broken. */
  readonly staleMs: number;
  /** How often a waiter looks again (ms). */
  readonly pollMs: number;
  /** This process: written into the lock, and compared with a lock's holder. */
  readonly pid: number;
  readonly host: string;
  /** Whether a process on this host is still running (a dead holder's lock is broken at once). */
  readonly isAlive: (pid: number) => boolean;
  /** Wall clock, ms: lock ages. */
  readonly wallMs: () => number;
  /** Monotonic clock, ms: how long we have waited (right even under a frozen wall clock). */
  readonly monotonicMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The result of {@link acquireLock}. */
export type LockOutcome<T> =
  /** We hold the lock; release it when done. */
  | { readonly kind: "held"; readonly release: () => void }
  /** While waiting, `check` found what the holder was making. */
  | { readonly kind: "ready"; readonly value: T }
  /** The holder took longer than `waitMs`. */
  | { readonly kind: "timed-out" }
  /** No lock can be made here (read-only or missing directory): go without. */
  | { readonly kind: "unavailable"; readonly reason: string };

/**
 * Takes the lock at `path`, or waits for its holder, calling `check` after each look: as soon as it
 * returns a value (the holder's fresh cache entry), that is the answer.
 */
export async function acquireLock<T>(path: string, options: LockOptions, check: () => T | undefined): Promise<LockOutcome<T>> {
  const started = options.monotonicMs();
  for (;;) {
    const owner: LockOwner = { pid: options.pid, host: options.host, created: options.wallMs(), nonce: randomHex(8) };
    const created = tryCreate(path, owner);
    if (created === true) return { kind: "held", release: () => release(path, owner) };
    if (created !== "exists") return { kind: "unavailable", reason: created };

    const value = check();
    if (value !== undefined) return { kind: "ready", value };
    const holder = readOwner(path);
    if (holder !== "gone" && isStale(holder, options)) {
      breakLock(path, holder);
      continue;
    }
    if (holder === "gone") continue;
    if (options.monotonicMs() - started >= options.waitMs) return { kind: "timed-out" };
    await options.sleep(options.pollMs);
  }
}

/** Creates the lock with its content in one step: true, "exists", or why it cannot be made. */
function tryCreate(path: string, owner: LockOwner): true | "exists" | string {
  const temp = `${path}.${owner.nonce}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(owner), { flag: "wx", mode: 0o600 });
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? "error";
  }
  try {
    linkSync(temp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "EEXIST" ? "exists" : (code ?? "error");
  } finally {
    unlinkQuietly(temp);
  }
}

/** The holder recorded in a lock file; undefined when unreadable or not ours; "gone" if released meanwhile. */
function readOwner(path: string): LockOwner | undefined | "gone" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "gone" : undefined;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === "number" && typeof o.host === "string" && typeof o.created === "number" && typeof o.nonce === "string") {
      return o as LockOwner;
    }
  } catch {
    // fall through: not a lock we understand
  }
  return undefined;
}

/**
 * An unreadable lock, one past its stale age, or one whose holder on this host has exited is
 * abandoned. (A lock from another host sharing the home directory is judged by age alone.)
 */
function isStale(holder: LockOwner | undefined, options: LockOptions): boolean {
  if (holder === undefined) return true;
  if (options.wallMs() - holder.created > options.staleMs) return true;
  return holder.host === options.host && holder.pid !== options.pid && !options.isAlive(holder.pid);
}

/**
 * Removes an abandoned lock. Renaming it aside first and checking what was renamed means two
 * waiters breaking the same lock cannot remove a fresh lock that one of them has just taken.
 */
function breakLock(path: string, holder: LockOwner | undefined): void {
  const aside = `${path}.${randomHex(8)}.broken`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else broke or released it first
  }
  const moved = readOwner(aside);
  const wasTheStaleOne = holder === undefined ? moved === undefined : moved !== "gone" && moved?.nonce === holder.nonce;
  if (!wasTheStaleOne) {
    // We moved a newer, live lock: put it back unless yet another has been taken since.
    try {
      linkSync(aside, path);
    } catch {
      // EEXIST: a newer holder exists anyway.
    }
  }
  unlinkQuietly(aside);
}

/** Releases our lock, unless it was broken and someone else holds the name now. */
function release(path: string, owner: LockOwner): void {
  const current = readOwner(path);
  if (current !== "gone" && current?.nonce === owner.nonce) unlinkQuietly(path);
}

/** Removes a file if it can; a file already gone or a read-only directory is not an error here. */
export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already, or the directory is read-only: nothing to do
  }
}

/** How long to wait for a holder, and when to presume it gone. */
export interface LockTiming {
  readonly waitMs: number;
  readonly staleMs: number;
}

/**
 * Lock options for this process: its pid and host, liveness by signal 0, the real clocks. (The
 * one place outside main.ts that asks the process about itself: a lock must name its holder.)
 */
export function lockOptionsForThisProcess(timing: LockTiming, wallMs: () => number): LockOptions {
  return {
    ...timing,
    pollMs: 25,
    pid: process.pid,
    host: hostname(),
    isAlive: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        // EPERM: it exists but belongs to someone else.
        return (err as NodeJS.ErrnoException).code === "EPERM";
      }
    },
    wallMs,
    monotonicMs: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
