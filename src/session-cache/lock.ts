/**
 * A lock file beside a cache entry, so that concurrent cold starts make one STS call between them
 * (contract §6): one process holds the lock and refreshes, the others wait and re-read the cache.
 *
 * The lock is created whole with `link(2)` (which fails if the name exists), so a waiter never sees
 * a half-written lock. It records who holds it; a lock whose holder is gone (a killed git, a helper
 * stopped by its own deadline) or that is older than its stale age is broken. Nothing here may fail
 * git: a directory where no lock can be made, or a wait that runs out, just means "go without".
 */
import { nodeFs } from "../node-fs.js";
import { randomHex } from "../hashes.js";
import { readOwnFile, thisUser, unlinkQuietly } from "./own-file.js";

/** A lock file holds one small JSON object; anything bigger is not a lock we wrote. */
const MAX_LOCK_BYTES = 4096;

/** Who holds a lock; written into the lock file as JSON. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Wall-clock ms when taken. */
  readonly created: number;
  /** Tells this holder's lock from a later one that replaced it. */
  readonly nonce: string;
}

export interface LockOptions extends LockTiming {
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
  /** The uid a lock file must belong to (undefined: not checked, as on Windows). */
  readonly owner?: number | undefined;
  /**
   * Registers `release` to run if the process exits while holding the lock (git's deadline fired,
   * main.ts called exit): returns the function that unregisters it. So no exit leaves a stale lock.
   */
  readonly onExit?: (release: () => void) => () => void;
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
    if (created === true) {
      const mine = () => release(path, owner, options.owner);
      const unregister = options.onExit?.(mine) ?? (() => {});
      return {
        kind: "held",
        release: () => {
          unregister();
          mine();
        },
      };
    }
    if (created !== "exists") return { kind: "unavailable", reason: created };

    const value = check();
    if (value !== undefined) return { kind: "ready", value };
    const holder = readOwner(path, options.owner);
    // A FIFO, a directory, a link or someone else's file at the lock's name: never ours to remove.
    if (typeof holder === "object" && "foreign" in holder) return { kind: "unavailable", reason: `the lock file ${holder.foreign}` };
    if (holder !== "gone" && isStale(holder, options)) {
      breakLock(path, holder, options.owner);
      continue;
    }
    if (holder === "gone") continue;
    if (options.monotonicMs() - started >= options.waitMs) return { kind: "timed-out" };
    await options.sleep(options.pollMs);
  }
}

/** Creates the lock with its content in one step: true, "exists", or why it cannot be made. */
function tryCreate(path: string, owner: LockOwner): true | "exists" | string {
  const fs = nodeFs();
  const temp = `${path}.${owner.nonce}.tmp`;
  let fd: number;
  try {
    fd = fs.openSync(temp, "wx", 0o600);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? "error";
  }
  try {
    fs.writeSync(fd, JSON.stringify(owner));
  } catch (err) {
    // A full disk creates the file but not its content: remove it, or every run leaves one behind.
    fs.closeSync(fd);
    unlinkQuietly(temp);
    return (err as NodeJS.ErrnoException).code ?? "error";
  }
  fs.closeSync(fd);
  try {
    fs.linkSync(temp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "EEXIST" ? "exists" : (code ?? "error");
  } finally {
    unlinkQuietly(temp);
  }
}

/** A lock path holding something that is not our lock file, and what it is. */
interface Foreign {
  readonly foreign: string;
}

/**
 * The holder recorded in a lock file; undefined when it is a file of ours that does not parse;
 * "gone" if released meanwhile; {@link Foreign} for anything that is not a regular file of ours.
 * Never blocks on a FIFO nor reads more than {@link MAX_LOCK_BYTES}.
 */
function readOwner(path: string, uid: number | undefined): LockOwner | undefined | "gone" | Foreign {
  const file = readOwnFile(path, MAX_LOCK_BYTES, uid);
  if ("problem" in file) {
    if (file.kind === "absent") return "gone";
    // Too big, or unreadable for a moment: still our file, judged as a lock that does not parse.
    return file.kind === "foreign" ? { foreign: `is ${file.problem}` } : undefined;
  }
  if (!("text" in file)) return undefined;
  try {
    const o = JSON.parse(file.text) as Partial<LockOwner>;
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
function breakLock(path: string, holder: LockOwner | undefined, uid: number | undefined): void {
  const aside = `${path}.${randomHex(8)}.broken`;
  try {
    nodeFs().renameSync(path, aside);
  } catch {
    return; // someone else broke or released it first
  }
  if (!isRegularFile(aside)) {
    // Swapped for a directory or the like since we looked: not ours to remove; put it back.
    try {
      nodeFs().renameSync(aside, path);
    } catch {
      // a new lock took the name meanwhile; what we moved stays aside
    }
    return;
  }
  const moved = readOwner(aside, uid);
  const movedOwner = typeof moved === "object" && "foreign" in moved ? "foreign" : moved;
  const wasTheStaleOne = holder === undefined ? movedOwner === undefined : movedOwner !== "gone" && movedOwner !== "foreign" && movedOwner?.nonce === holder.nonce;
  if (!wasTheStaleOne) {
    // We moved a newer, live lock: put it back unless yet another has been taken since.
    try {
      nodeFs().linkSync(aside, path);
    } catch {
      // EEXIST: a newer holder exists anyway.
    }
  }
  unlinkQuietly(aside);
}

/** Releases our lock, unless it was broken and someone else holds the name now. */
function release(path: string, owner: LockOwner, uid: number | undefined): void {
  const current = readOwner(path, uid);
  if (typeof current === "object" && "nonce" in current && current.nonce === owner.nonce) unlinkQuietly(path);
}

function isRegularFile(path: string): boolean {
  try {
    return nodeFs().lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** How long to wait for a holder, when to presume it gone, and what a waiter does when tired. */
export interface LockTiming {
  /** How long a waiter waits for the holder before giving up on it (ms, monotonic). */
  readonly waitMs: number;
  /** A lock older than this (ms, by the wall clock) is presumed abandoned and broken. */
  readonly staleMs: number;
  /**
   * After `waitMs` without the holder's answer: `"refresh"` makes the call itself (the default),
   * `"fail"` gives up (a holder that may take the whole network budget; calling STS too would
   * only multiply the calls to an endpoint that is already slow).
   */
  readonly afterWait?: "refresh" | "fail";
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
    // Asked only once a lock is taken or judged: a run answered from the cache never loads node:os (issue 13).
    get host() {
      return (require("node:os") as typeof import("node:os")).hostname();
    },
    isAlive: (pid) => {
      try {
        process.kill(pid, 0);
      } catch (err) {
        // EPERM: it exists but belongs to someone else.
        return (err as NodeJS.ErrnoException).code === "EPERM";
      }
      return !isZombie(pid);
    },
    owner: thisUser(),
    onExit: (release) => {
      process.once("exit", release);
      return () => process.removeListener("exit", release);
    },
    wallMs,
    monotonicMs: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/**
 * A process that has exited but not been reaped by its parent still answers signal 0: its lock is
 * as abandoned as a dead one's. Linux says so in /proc/<pid>/stat (state Z or X, after the name in
 * parentheses); elsewhere there is no cheap way to tell, and the lock's age decides.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = nodeFs().readFileSync(`/proc/${pid}/stat`, "latin1");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X";
  } catch {
    return false;
  }
}
