/**
 * One cached session, the way every caller needs it (contract §6): reuse the cache entry while it
 * is fresh; otherwise take the lock, look again (another process may just have refreshed it),
 * refresh, write, release. Waiters re-read the cache and so share the holder's one STS call.
 * A cache that cannot be read, locked or written never fails git: it is a miss, or no lock.
 */
import { join } from "node:path";
import type { Tracer } from "../trace.js";
import { acquireLock, type LockOptions } from "./cache-lock.js";
import { type CacheExtras, type CachedCredentials, ensureCacheDir, formatCacheEntry, readFreshEntry, writeCacheEntry } from "./role-cache.js";

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
  return join(dir, `${key}.lock`);
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
  const fresh = (): CachedCredentials | undefined => readFreshEntry(dir, key, cache.now());
  const hit = fresh();
  if (hit) {
    trace("role cache hit", { session: what.label, file: `${key}.json`, expiration: hit.expiration });
    return hit;
  }
  trace("role cache miss", { session: what.label, file: `${key}.json`, dir });

  try {
    ensureCacheDir(dir);
  } catch (err) {
    trace(`role cache directory unusable (${(err as NodeJS.ErrnoException).code ?? "error"}): refreshing without it`);
  }
  const take = () => acquireLock(lockFile(dir, key), cache.lockOptions(what.mfa), fresh);
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
