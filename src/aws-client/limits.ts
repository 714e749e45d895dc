/**
 * Every network number of the program, each with its reason beside it: how long a run may wait,
 * and on what.
 */

/**
 * The one network budget of a run: every STS, SSO, container and IMDS wait, retries and waiting
 * for another process's cache lock included, fits in it, so git hears back within 10 s — and a
 * single STS answer that takes up to ~8 s still succeeds.
 */
export const NETWORK_DEADLINE_MS = 9_000;

// ---- The session cache's lock (src/session-cache/lock.ts) ----------------------------------------
// A crowd of cold `get`s (a build starting 16 git fetches) must make one STS call between them, and
// a lock must never cost a `get` its answer.

/**
 * How long a live holder on this host is waited on: the whole budget, since its own STS call may
 * take all of it; a waiter that then still has no answer fails with one line rather than call an
 * endpoint that is already too slow once more.
 */
export const LOCK_WAIT_MS = NETWORK_DEADLINE_MS;

/**
 * How long a holder that cannot be judged (another host sharing the home directory, a pid whose
 * process start cannot be compared) is waited on before one waiter takes the lock over: a third of
 * the budget. A live holder's STS call normally answers in well under a second (one round trip;
 * the SDK's first retry adds about one more), so 3 s lets it finish on all but a failing network,
 * and leaves the taker 6 s of the budget for its own call — more than the slowest answer the
 * network tests still expect to succeed after a wait.
 */
export const LOCK_UNJUDGED_WAIT_MS = 3_000;

/**
 * A lock older than this has no live holder on any host: no run holds a lock longer than its
 * network budget (the deadline ends it, and its exit releases the lock); 2 s more cover a busy
 * machine running the exit late.
 */
export const LOCK_STALE_MS = NETWORK_DEADLINE_MS + 2_000;

/**
 * How far ahead of our clock a lock may be dated and still be judged by its holder: hosts that
 * share a home directory keep their clocks in step (NTP keeps them within milliseconds; NFS itself
 * misbehaves without it), so a lock dated further ahead than this was written by a wrong clock,
 * would not reach its stale age for as long as the error, and is abandoned at once.
 */
export const LOCK_CLOCK_SKEW_MS = 5_000;

/**
 * How often a waiter looks at the lock and the cache entry again: the holder's entry is seen
 * within 25 ms of being written, for about 40 cheap looks a second (the entry is re-read only once
 * it changed).
 */
export const LOCK_POLL_MS = 25;

/**
 * With MFA the holder waits on a person at the prompt, outside the network budget: waiters who
 * could prompt too wait for two minutes rather than ask the person a second time.
 */
export const MFA_LOCK_WAIT_MS = 120_000;

/**
 * An MFA holder that cannot be judged: a person at another host's prompt takes tens of seconds to
 * read a code and type it, so a minute before a waiter takes over and asks its own person.
 */
export const MFA_LOCK_UNJUDGED_WAIT_MS = 60_000;

/** An MFA lock older than its wait plus the same margin as above has no live holder. */
export const MFA_LOCK_STALE_MS = MFA_LOCK_WAIT_MS + 10_000;
