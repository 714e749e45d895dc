/**
 * Every number that bounds how long this program waits on the network, or how often it tries, in
 * one file with the reason for each. Code elsewhere names these constants; it writes no timeout,
 * attempt count or poll interval of its own. Constants only: importing this loads nothing else.
 */

// ---- the run's budget (`get`, and the helper runs that `clone` and the remote helper start) ----

/**
 * One budget for all network waiting of a `get`: STS, SSO, OIDC refreshes, container and instance
 * metadata, retries, and waiting on another process's cache lock. git must hear back within 10 s
 * (a helper must never hang git), so the budget ends a second before; a single STS answer that takes
 * up to ~8 s still succeeds, because each attempt may use all that is left (see SDK_ATTEMPTS).
 * Time spent waiting on a person (an MFA prompt) does not count.
 */
export const RUN_BUDGET_MS = 9_000;

/**
 * Attempts per SDK call (the first and two retries), for 5xx answers and throttling: the SDK's
 * standard retry mode, as botocore's `standard` mode makes 3. All of them fit in the caller's
 * budget, which aborts whatever is left.
 */
export const SDK_ATTEMPTS = 3;

// ---- the last sources of the chain: container endpoint and instance metadata ----

/** botocore's ContainerMetadataFetcher and InstanceMetadataFetcher default: 1 s per request. */
export const METADATA_REQUEST_TIMEOUT_MS = 1_000;
/** botocore's ContainerMetadataFetcher retries a failed request once. */
export const CONTAINER_RETRIES = 1;
/** Instance metadata is tried once per request: a machine off EC2 must not pay for retries. */
export const IMDS_RETRIES = 0;
/**
 * Instance metadata as a whole: "no credentials anywhere" must be said within 2 s off EC2, and the
 * IMDSv2 token request, its v1 fallback and the role lookups all fit in this.
 */
export const IMDS_BUDGET_MS = 1_800;

// ---- credential_process ----

/**
 * A credential_process may wait on a person (aws-vault's MFA prompt), so it is not held to the
 * network budget; but a process that never exits must not hang git forever.
 */
export const CREDENTIAL_PROCESS_TIMEOUT_MS = 120_000;

// ---- SSO token refresh during a `get` ----

/**
 * A token that is still valid but inside botocore's refresh window is refreshed only if OIDC
 * answers within this; otherwise the old token is used (botocore also keeps the old token when an
 * optional refresh fails, after its 60 s read timeout, which git cannot wait for).
 */
export const SSO_OPTIONAL_REFRESH_MS = 3_000;

// ---- `login`: calls made between waits on a person ----

/**
 * `login` waits on a person between its OIDC calls (minutes, in the browser or with a device code),
 * so it has no run budget; each call is bounded on its own so a dead endpoint fails in seconds.
 * Connecting: a proxy or an endpoint that does not accept a connection within 5 s is not there.
 */
export const LOGIN_CONNECT_TIMEOUT_MS = 5_000;
/** Each login call's answer: OIDC answers in well under a second; 15 s allows a slow proxy. */
export const LOGIN_REQUEST_TIMEOUT_MS = 15_000;
/** RFC 8628 §3.5: poll every 5 s when StartDeviceAuthorization names no interval (botocore too). */
export const DEVICE_POLL_INTERVAL_S = 5;
/** RFC 8628 §3.5: after `slow_down`, poll 5 s less often, for good. */
export const DEVICE_SLOW_DOWN_S = 5;
/**
 * Polling stops this long after the device code's own expiry: the service ends the wait with
 * `expired_token` itself; this bound only guards against one that never does.
 */
export const DEVICE_EXPIRY_GRACE_MS = 60_000;
/** How long the browser has to come back with the authorization code (the AWS CLI's AuthCodeFetcher waits 10 minutes too). */
export const BROWSER_CALLBACK_TIMEOUT_MS = 10 * 60_000;

// ---- The session cache's lock (src/session-cache/lock.ts) ----------------------------------------
// A crowd of cold `get`s (a build starting 16 git fetches) must make one STS call between them, and
// a lock must never cost a `get` its answer.

/**
 * How long a live holder on this host is waited on: the whole budget, since its own STS call may
 * take all of it; a waiter that then still has no answer fails with one line rather than call an
 * endpoint that is already too slow once more.
 */
export const LOCK_WAIT_MS = RUN_BUDGET_MS;

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
export const LOCK_STALE_MS = RUN_BUDGET_MS + 2_000;

/**
 * How far ahead of our clock a lock may be dated and still be judged by its holder: hosts that
 * share a home directory keep their clocks in step (NTP keeps them within milliseconds; NFS itself
 * misbehaves without it), so a lock dated further ahead than this was written by a wrong clock,
 * would not reach its stale age for as long as the error, and is abandoned at once.
 */
export const LOCK_CLOCK_SKEW_MS = 5_000;

/**
 * How soon a waiter looks at the lock and the cache entry again: 50 ms after its first look, so
 * that the entry of a holder whose STS call answers at once is seen without delay anyone notices.
 * Each look costs a waiter ~0.7 ms of CPU (a few file reads, waking Bun's threads), and a crowd
 * of waiters (a build starting 50 git fetches) shares the machine with the one holder whose STS
 * call they all wait for: looking every 50 ms for 5 s, 49 waiters took a third of two cores.
 * So each pause is LOCK_POLL_GROWTH times the last, up to LOCK_POLL_MAX_MS: ~40 looks in the
 * whole budget instead of 180, and the entry seen at most 250 ms after it was written.
 */
export const LOCK_POLL_MS = 50;
export const LOCK_POLL_GROWTH = 2;
export const LOCK_POLL_MAX_MS = 250;

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

// ---- the system proxy (macOS, Windows) ----

/**
 * `scutil --proxy` and `reg query` answer in milliseconds; this only bounds a command that hangs,
 * so a broken system tool costs a cold `get` seconds, not git's whole wait.
 */
export const SYSTEM_PROXY_COMMAND_MS = 5_000;

// ---- `doctor` ----

/**
 * doctor's GetCallerIdentity, retries included: within the same bound as a `get` (a check must not
 * hang either), a little shorter because doctor has already spent time resolving the credentials.
 */
export const DOCTOR_STS_BUDGET_MS = 8_000;
