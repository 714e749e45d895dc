/**
 * One cached session, the way every caller needs it: reuse the cache entry while it
 * is fresh; otherwise take the lock, look again (another process may just have refreshed it),
 * refresh, write, release. Waiters re-read the cache and so share the holder's one STS call.
 * A cache that cannot be read, locked or written never fails git: it is a miss, or no lock.
 */
import { joinPath } from "../runtime/file-path.js";
import { HelperError } from "../errors.js";
import type { Tracer } from "../trace.js";
import { acquireLock, type LockOptions } from "./lock.js";
import { untrustedDirectory } from "./own-file.js";
import {
  type CacheExtras,
  type CachedCredentials,
  type EntryMemo,
  ensureCacheDir,
  formatCacheEntry,
  lookupEntry,
  traceCacheHit,
  writeCacheEntry,
} from "./entry.js";

/** What one helper run needs to use the cache. */
export interface SessionCache {
  readonly dir: string;
  readonly now: () => Date;
  readonly trace: Tracer;
  /** Lock timing: an MFA session's holder waits on a person, so its waiters wait longer. */
  readonly lockOptions: (mfa: boolean) => LockOptions;
  /** Runs a wait for another process's MFA prompt outside the network deadline. */
  readonly waitingOnPerson: <T>(wait: () => Promise<T>) => Promise<T>;
}

/** A freshly made session and what else to record with it. */
export interface FreshSession {
  readonly credentials: CachedCredentials;
  readonly extras?: CacheExtras;
}

/** The lock file beside a cache entry. */
export function lockFile(dir: string, key: string): string {
  return joinPath(dir, `${key}.lock`);
}

/**
 * The session under `key`: from the cache when at least 15 minutes remain, else from `refresh`
 * (called at most once, by one process at a time when locking works), which is then cached.
 */
export async function cachedSession(
  cache: SessionCache,
  key: string,
  what: { readonly label: string; readonly mfa: boolean },
  refresh: () => Promise<FreshSession>,
): Promise<CachedCredentials> {
  const { dir, trace } = cache;
  const lockOptions = cache.lockOptions(what.mfa);
  // One memo per run: polling while another process refreshes re-reads the entry only once it changed.
  const memo: EntryMemo = {};
  const lookup = () => lookupEntry(dir, key, cache.now(), lockOptions.owner, memo);
  const fresh = (): CachedCredentials | undefined => {
    const found = lookup();
    return "credentials" in found ? found.credentials : undefined;
  };
  const first = lookup();
  if ("credentials" in first) {
    traceCacheHit(trace, what.label, key, first.credentials);
    return first.credentials;
  }
  trace(`role cache miss (${first.miss})`, { session: what.label, file: `${key}.json`, dir });

  try {
    ensureCacheDir(dir);
  } catch (err) {
    trace(`role cache directory unusable (${(err as NodeJS.ErrnoException).code ?? "error"}): refreshing without it`);
  }
  const untrusted = untrustedDirectory(dir, lockOptions.owner);
  if (untrusted) {
    // Others could plant a lock to stall us, or read what we write: use neither lock nor cache.
    trace(`role cache not trusted (${untrusted}): refreshing without it`, { session: what.label });
    return (await refresh()).credentials;
  }
  const take = () => acquireLock(lockFile(dir, key), lockOptions, fresh);
  const outcome = await (what.mfa ? cache.waitingOnPerson(take) : take());
  switch (outcome.kind) {
    case "ready":
      trace("role cache filled by another process", { session: what.label });
      return outcome.value;
    case "held":
      try {
        const refreshed = fresh();
        if (refreshed) {
          trace("role cache filled by another process", { session: what.label });
          return refreshed;
        }
        return await refreshAndWrite(cache, key, refresh);
      } finally {
        outcome.release();
      }
    case "timed-out":
      if (lockOptions.afterWait === "fail") {
        throw new HelperError(
          "unreachable",
          `another git-credential-codecommit has been getting the session for ${what.label} for ${Math.round(lockOptions.waitMs / 1000)} s without an answer (lock ${lockFile(dir, key)})`,
          "Check the network, proxy and endpoint settings, then try again",
        );
      }
      trace("role cache lock holder too slow: refreshing without the lock", { session: what.label });
      return refreshAndWrite(cache, key, refresh);
    case "unavailable":
      trace(`role cache lock unavailable (${outcome.reason}): refreshing without it`, { session: what.label });
      return refreshAndWrite(cache, key, refresh);
  }
}

async function refreshAndWrite(cache: SessionCache, key: string, refresh: () => Promise<FreshSession>): Promise<CachedCredentials> {
  const session = await refresh();
  try {
    writeCacheEntry(cache.dir, key, formatCacheEntry(session.credentials, session.extras));
    cache.trace("role cache written", { file: `${key}.json`, expiration: session.credentials.expiration });
  } catch (err) {
    cache.trace(`role cache not written (${(err as NodeJS.ErrnoException).code ?? "error"}): git is answered anyway`);
  }
  return session.credentials;
}
