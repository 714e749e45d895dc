/**
 * A lock file beside a cache entry, so that concurrent cold starts make one STS call between them:
 * one process holds the lock and refreshes, the others wait and re-read the cache.
 *
 * The lock is created whole with `link(2)` (which fails if the name exists), so a waiter never sees
 * a half-written lock. It records who holds it: pid, host, when, and the holder's process start
 * (on Linux), so that a pid reused by another process is told from the holder. A waiter judges the
 * holder:
 *
 * - alive (this host, the same process still running): waited on for the whole wait;
 * - abandoned (gone, a zombie, a reused pid, older than the stale age, dated in the future beyond
 *   the clock-skew allowance, unreadable): taken over at once;
 * - unjudged (another host sharing the home directory, or a host where a reused pid cannot be
 *   told): waited on for a bounded share of the wait, then taken over.
 *
 * Taking over is atomic, so a crowd of waiters still makes one holder: the first to link the
 * judged lock's inode to a name derived from that lock wins, and renames its own lock over it;
 * the others see the new holder, alive on this host, and wait on it. Nothing here may fail git: a
 * directory where no lock can be made, or a wait that runs out, just means "go without".
 */
import { nodeFs } from "../runtime/node-fs.js";
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
  /** The holder's process start as this host's kernel tells it (Linux); absent where unknown. */
  readonly start?: string;
}

export interface LockOptions extends LockTiming {
  /** This process: written into the lock, and compared with a lock's holder. */
  readonly pid: number;
  readonly host: string;
  /** Whether a process on this host is still running (a dead holder's lock is broken at once). */
  readonly isAlive: (pid: number) => boolean;
  /**
   * When a process on this host started, as an opaque token that differs between two processes
   * that had the same pid; undefined where the system does not say (then a live pid is unjudged).
   */
  readonly processStart: (pid: number) => string | undefined;
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
  /** A live holder took longer than `waitMs`. */
  | { readonly kind: "timed-out" }
  /** No lock can be made here (read-only or missing directory): go without. */
  | { readonly kind: "unavailable"; readonly reason: string };

/** What a waiter makes of a lock's holder; see the file comment. */
type Verdict = "alive" | "abandoned" | "unjudged";

/**
 * Takes the lock at `path`, or waits for its holder, calling `check` after each look: as soon as it
 * returns a value (the holder's fresh cache entry), that is the answer.
 */
export async function acquireLock<T>(path: string, options: LockOptions, check: () => T | undefined): Promise<LockOutcome<T>> {
  const started = options.monotonicMs();
  // The unjudged holder being watched and since when: its bounded share counts from first sight.
  let watched: { readonly key: string; readonly since: number } | undefined;
  // Creating a lock writes a file: a waiter tries it first and then only once the lock is seen
  // gone, so that each look of a crowd of waiters is a few reads, not a write.
  let mayCreate = true;
  // The pause before the next look: short at first, when a holder's answer is most likely, then
  // longer, so that a crowd waiting on a slow STS call leaves the machine to the holder.
  let pause = options.pollMs;
  for (;;) {
    if (mayCreate) {
      const owner = newOwner(options);
      const created = tryCreate(path, owner);
      if (created === true) return held(path, owner, options);
      if (created !== "exists") return { kind: "unavailable", reason: created };
      mayCreate = false;
    }

    const value = check();
    if (value !== undefined) return { kind: "ready", value };
    const lock = readLock(path, options.owner);
    if (lock === "gone") {
      mayCreate = true;
      continue;
    }
    // A FIFO, a directory, a link or someone else's file at the lock's name: never ours to remove.
    if ("foreign" in lock) return { kind: "unavailable", reason: `the lock file ${lock.foreign}` };
    const verdict = judge(lock.holder, options);
    const now = options.monotonicMs();
    if (verdict === "unjudged" && watched?.key !== lock.key) watched = { key: lock.key, since: now };
    if (verdict === "abandoned" || (verdict === "unjudged" && now - (watched?.since ?? now) >= options.unjudgedWaitMs)) {
      const mine = newOwner(options);
      if (takeOver(path, lock.key, mine, options.owner)) return held(path, mine, options);
      // Another waiter won: its lock is seen at the next look, after the usual pause.
    } else if (now - started >= options.waitMs) return { kind: "timed-out" };
    // Look again after the pause, or when a wait runs out if that comes first, so that a longer
    // pause never stretches the wait (but at least 1 ms later: what timers can do).
    const due = [started + options.waitMs - now];
    if (verdict === "unjudged" && watched !== undefined) due.push(watched.since + options.unjudgedWaitMs - now);
    await options.sleep(Math.max(1, Math.min(pause, ...due.filter((ms) => ms > 0))));
    pause = Math.min(options.pollMaxMs, pause * options.pollGrowth);
  }
}

function newOwner(options: LockOptions): LockOwner {
  const start = options.processStart(options.pid);
  return {
    pid: options.pid,
    host: options.host,
    created: options.wallMs(),
    nonce: randomHex(8),
    ...(start !== undefined ? { start } : {}),
  };
}

function held<T>(path: string, owner: LockOwner, options: LockOptions): LockOutcome<T> {
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

/**
 * Judges a lock's holder. Unreadable, too old, or dated further ahead than the clock-skew
 * allowance: abandoned whoever wrote it. On this host: a dead pid, or a live pid whose process
 * started other than when the holder did (the pid was reused), is abandoned; a live pid with the
 * holder's start is alive; a live pid whose start cannot be compared is unjudged. Another host's
 * holder cannot be asked at all: unjudged.
 */
function judge(holder: LockOwner | undefined, options: LockOptions): Verdict {
  if (holder === undefined) return "abandoned";
  const age = options.wallMs() - holder.created;
  if (age > options.staleMs || -age > options.skewMs) return "abandoned";
  if (holder.host !== options.host) return "unjudged";
  // Our own pid: another lookup in this very process (or a reused pid, which the start tells).
  if (holder.pid !== options.pid && !options.isAlive(holder.pid)) return "abandoned";
  const start = holder.start === undefined ? undefined : options.processStart(holder.pid);
  if (start === undefined) return holder.pid === options.pid ? "alive" : "unjudged";
  return start === holder.start ? "alive" : "abandoned";
}

/**
 * Replaces the judged lock (the one `key` names) with ours, atomically and for one waiter only.
 * link(2) of the lock to a name derived from `key` succeeds for the first waiter alone, and pins
 * the inode that was at the lock's name at that moment; if that is still the judged lock, our lock
 * is renamed over it, so the name is never free for a third process to take. True when we hold it.
 */
function takeOver(path: string, key: string, owner: LockOwner, uid: number | undefined): boolean {
  const fs = nodeFs();
  const claim = `${path}.${key}.takeover`;
  try {
    fs.linkSync(path, claim);
  } catch {
    return false; // another waiter is taking this one over, or it is gone: look again
  }
  try {
    const pinned = readLock(claim, uid);
    if (pinned === "gone" || "foreign" in pinned || pinned.key !== key) return false; // released or replaced meanwhile
    const temp = writeTemp(path, owner);
    if (typeof temp !== "string") return false;
    try {
      fs.renameSync(temp, path);
    } catch {
      unlinkQuietly(temp);
      return false;
    }
    // Read back, as the one proof that counts: the name now holds our nonce.
    const now = readLock(path, uid);
    return now !== "gone" && !("foreign" in now) && now.holder?.nonce === owner.nonce;
  } finally {
    unlinkQuietly(claim);
  }
}

/** Creates the lock with its content in one step: true, "exists", or why it cannot be made. */
function tryCreate(path: string, owner: LockOwner): true | "exists" | string {
  const temp = writeTemp(path, owner);
  if (typeof temp !== "string") return temp.problem;
  try {
    nodeFs().linkSync(temp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "EEXIST" ? "exists" : (code ?? "error");
  } finally {
    unlinkQuietly(temp);
  }
}

/**
 * Writes `owner` into a new 0600 file beside the lock, to be linked or renamed to the lock's name
 * whole: its path, or why it could not be written.
 */
function writeTemp(path: string, owner: LockOwner): string | { readonly problem: string } {
  const fs = nodeFs();
  const temp = `${path}.${owner.nonce}.tmp`;
  let fd: number;
  try {
    fd = fs.openSync(temp, "wx", 0o600);
  } catch (err) {
    return { problem: (err as NodeJS.ErrnoException).code ?? "error" };
  }
  try {
    fs.writeSync(fd, JSON.stringify(owner));
  } catch (err) {
    // A full disk creates the file but not its content: remove it, or every run leaves one behind.
    fs.closeSync(fd);
    unlinkQuietly(temp);
    return { problem: (err as NodeJS.ErrnoException).code ?? "error" };
  }
  fs.closeSync(fd);
  return temp;
}

/** A lock path holding something that is not our lock file, and what it is. */
interface Foreign {
  readonly foreign: string;
}

/** A lock file as a waiter sees it: its holder (undefined when it does not parse), and what names this very lock. */
interface SeenLock {
  readonly holder: LockOwner | undefined;
  /**
   * The holder's nonce, or for a lock that does not parse its inode and modification time: the
   * same for every waiter looking at this lock, different for any lock that replaces it.
   */
  readonly key: string;
}

const NONCE = /^[0-9a-f]{8,64}$/;

/**
 * The lock at `path`; "gone" if released meanwhile; {@link Foreign} for anything that is not a
 * regular file of ours. Never blocks on a FIFO nor reads more than {@link MAX_LOCK_BYTES}.
 */
function readLock(path: string, uid: number | undefined): SeenLock | "gone" | Foreign {
  const file = readOwnFile(path, MAX_LOCK_BYTES, uid);
  if ("problem" in file) {
    if (file.kind === "absent") return "gone";
    if (file.kind === "foreign") return { foreign: `is ${file.problem}` };
    // Too big, or unreadable for a moment: still our file, judged as a lock that does not parse.
    const key = inodeKey(path);
    return key === undefined ? "gone" : { holder: undefined, key };
  }
  const holder = "text" in file ? parseOwner(file.text) : undefined;
  // A nonce names a file beside the lock: only one of the hex form this file writes is used.
  if (holder && NONCE.test(holder.nonce)) return { holder, key: holder.nonce };
  const [dev, ino, , mtime] = file.id.split(":");
  return { holder, key: `${dev}-${ino}-${mtime}` };
}

function inodeKey(path: string): string | undefined {
  try {
    const st = nodeFs().lstatSync(path);
    return `${st.dev}-${st.ino}-${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner> | null;
    if (o && typeof o.pid === "number" && typeof o.host === "string" && typeof o.created === "number" && typeof o.nonce === "string") {
      if (o.start !== undefined && typeof o.start !== "string") return undefined;
      return o as LockOwner;
    }
  } catch {
    // fall through: not a lock we understand
  }
  return undefined;
}

/** Releases our lock, unless it was taken over and someone else holds the name now. */
function release(path: string, owner: LockOwner, uid: number | undefined): void {
  const current = readLock(path, uid);
  if (current !== "gone" && !("foreign" in current) && current.holder?.nonce === owner.nonce) unlinkQuietly(path);
}

/**
 * How long to wait for a holder, when to presume it gone, and what a waiter does when tired. The
 * numbers and their reasons are in src/aws-client/limits.ts.
 */
export interface LockTiming {
  /** How long a waiter waits for a live holder on this host before giving up on it (ms, monotonic). */
  readonly waitMs: number;
  /** How long a holder that cannot be judged is waited on before one waiter takes the lock over (ms, monotonic). */
  readonly unjudgedWaitMs: number;
  /** A lock older than this (ms, by the wall clock) is presumed abandoned and taken over. */
  readonly staleMs: number;
  /** A lock dated further ahead than this (ms, by the wall clock) was written by a wrong clock: abandoned. */
  readonly skewMs: number;
  /** The pause before a waiter's second look (ms); each later pause is `pollGrowth` times the last. */
  readonly pollMs: number;
  readonly pollGrowth: number;
  /** The longest pause between two looks (ms). */
  readonly pollMaxMs: number;
  /**
   * After `waitMs` without a live holder's answer: `"refresh"` makes the call itself (the default),
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
  // A waiter looks again and again, and a crowd of them shares two cores with the holder: what never
  // changes for this process (its host name, its own start) is asked once, not at every look.
  let host: string | undefined;
  let ownStart: { readonly start: string | undefined } | undefined;
  let looked: { readonly pid: number; readonly stat: ReturnType<typeof procStat> } | undefined;
  return {
    ...timing,
    pid: process.pid,
    // Asked only once a lock is taken or judged: a run answered from the cache never loads node:os.
    get host() {
      host ??= (require("node:os") as typeof import("node:os")).hostname();
      return host;
    },
    isAlive: (pid) => {
      try {
        process.kill(pid, 0);
      } catch (err) {
        // EPERM: it exists but belongs to someone else.
        return (err as NodeJS.ErrnoException).code === "EPERM";
      }
      looked = { pid, stat: procStat(pid) };
      const state = looked.stat?.state;
      return state !== "Z" && state !== "X";
    },
    processStart: (pid) => {
      if (pid === process.pid) return (ownStart ??= { start: procStat(pid)?.start }).start;
      // judge() asks isAlive, then the start of the same holder: one read of /proc serves both.
      const stat = looked?.pid === pid ? looked.stat : procStat(pid);
      looked = undefined;
      return stat?.start;
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
 * What Linux says of a process in /proc/<pid>/stat (proc(5)): its state (field 3; Z or X for one
 * that has exited but not been reaped, which still answers signal 0 and is as gone as a dead one)
 * and its start time in clock ticks since boot (field 22), which no two processes with the same pid
 * share. Fields are counted after the name in parentheses, which may itself hold spaces and
 * parentheses. Elsewhere undefined: the lock's age and the bounded wait decide.
 */
function procStat(pid: number): { readonly state: string; readonly start: string | undefined } | undefined {
  let stat: string;
  try {
    stat = nodeFs().readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const start = fields[19];
  return { state: fields[0] ?? "", start: start && /^\d+$/.test(start) ? start : undefined };
}
