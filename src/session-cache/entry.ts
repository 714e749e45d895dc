/**
 * An entry of the AWS CLI's session cache: how to read one whichever tool wrote it (the warm path,
 * no network: the one file opened by name, trusted only if it is the user's own), when it is still
 * fresh, and how to write one atomically in the CLI's format.
 *
 * Sources: botocore `credentials.py` (CachedCredentialFetcher) and `utils.py` (JSONFileCache).
 */
import { nodeFs } from "../runtime/node-fs.js";
import { joinPath } from "../runtime/file-path.js";
import { randomHex } from "../hashes.js";
import { formatExpiration, parseExpiration } from "../aws-config/expiration.js";
import type { Tracer } from "../trace.js";
import { cacheFile } from "./key.js";
import { MAX_CACHE_FILE_BYTES, readOwnFile, thisUser, unlinkQuietly, untrustedDirectory } from "./own-file.js";
import { pythonJsonDumps } from "./python-json.js";

/** Credentials as held in a cache entry. */
export interface CachedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly accountId?: string;
}

/** What is written to a cache file besides the credentials (the rest of the AssumeRole response). */
export interface CacheExtras {
  /** `"sso"` for SSO role credentials, as the CLI v2 marks them. */
  readonly providerType?: string;
  readonly assumedRoleUser?: { readonly AssumedRoleId?: string; readonly Arn?: string };
  readonly requestId?: string;
}

/** botocore's CachedCredentialFetcher.DEFAULT_EXPIRY_WINDOW_SECONDS: a session is reused while this much remains. */
export const EXPIRY_WINDOW_MS = 15 * 60 * 1000;

/**
 * The largest cache file read. A real entry (an AssumeRole or SSO response) is 1–4 KiB; the limit
 * leaves room for longer session tokens and stops a huge or endless file from costing seconds.
 */
export const MAX_ENTRY_BYTES = MAX_CACHE_FILE_BYTES;

/** Whether credentials may still be used: at least {@link EXPIRY_WINDOW_MS} left (botocore `_is_expired`). */
export function isFresh(creds: CachedCredentials, now: Date): boolean {
  return creds.expiration.getTime() - now.getTime() >= EXPIRY_WINDOW_MS;
}

const CONTROL = /[\x00-\x1f\x7f]/;

/** Parses a cache file's text; undefined for anything the CLI could not use (a miss, never an error). */
export function parseCacheEntry(text: string): CachedCredentials | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return undefined;
  }
  const c = (entry as { Credentials?: Record<string, unknown> } | null)?.Credentials;
  if (!c || typeof c !== "object") return undefined;
  const { AccessKeyId, SecretAccessKey, SessionToken, AccountId } = c;
  const expiration = parseExpiration(c.Expiration);
  if (typeof AccessKeyId !== "string" || !AccessKeyId || typeof SecretAccessKey !== "string" || !SecretAccessKey) return undefined;
  if (typeof SessionToken !== "string" || !SessionToken || !expiration) return undefined;
  // A control character (a newline, a NUL) cannot travel in git's protocol: such an entry is as
  // unusable as a corrupt one, so it is a miss and STS makes a new one.
  if (CONTROL.test(AccessKeyId) || CONTROL.test(SecretAccessKey) || CONTROL.test(SessionToken)) return undefined;
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: SessionToken,
    expiration,
    ...(typeof AccountId === "string" && AccountId ? { accountId: AccountId } : {}),
  };
}

/** The debug line of a fresh entry used as it is (the at-hand path and cached-session.ts say the same). */
export function traceCacheHit(trace: Tracer, label: string, key: string, credentials: CachedCredentials): void {
  trace("role cache hit", { session: label, file: `${key}.json`, expiration: credentials.expiration });
}

/** A cache lookup: the fresh credentials, or why there are none (`"absent"`: no file). */
export type EntryLookup = { readonly credentials: CachedCredentials } | { readonly miss: string };

/**
 * What one run has seen of one entry, so that polling while another process refreshes it reads
 * the file again only once it has changed.
 */
export interface EntryMemo {
  id?: string;
  credentials?: CachedCredentials | undefined;
}

/**
 * Looks up the session under `key`: a hit only from a regular file of at most
 * {@link MAX_ENTRY_BYTES}, owned by `owner`, in a directory others cannot write, that parses and
 * has 15 minutes left. Anything else is a miss with its reason, never an error and never a hang.
 */
export function lookupEntry(
  dir: string,
  key: string,
  now: Date,
  owner: number | undefined = thisUser(),
  memo: EntryMemo = {},
): EntryLookup {
  const untrusted = untrustedDirectory(dir, owner);
  if (untrusted) return { miss: `not trusted: ${untrusted}` };
  const file = readOwnFile(cacheFile(dir, key), MAX_ENTRY_BYTES, owner, memo.id);
  if ("problem" in file) return { miss: file.kind === "absent" ? "absent" : `${key}.json is ${file.problem}` };
  if ("text" in file) {
    memo.id = file.id;
    memo.credentials = parseCacheEntry(file.text);
  }
  const creds = memo.credentials;
  if (!creds) return { miss: `${key}.json is not a usable cache entry` };
  if (!isFresh(creds, now)) return { miss: `${key}.json expires at ${formatExpiration(creds.expiration)}, in less than 15 minutes` };
  return { credentials: creds };
}

/** The JSON the CLI writes for an AssumeRole response (or, with providerType "sso", for SSO). */
export function formatCacheEntry(creds: CachedCredentials, extras: CacheExtras = {}): string {
  const entry = {
    ...(extras.providerType ? { ProviderType: extras.providerType } : {}),
    Credentials: {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      SessionToken: creds.sessionToken,
      Expiration: formatExpiration(creds.expiration),
      ...(creds.accountId ? { AccountId: creds.accountId } : {}),
    },
    ...(extras.assumedRoleUser ? { AssumedRoleUser: extras.assumedRoleUser } : {}),
    ...(extras.requestId ? { ResponseMetadata: { RequestId: extras.requestId, HTTPStatusCode: 200, RetryAttempts: 0 } } : {}),
  };
  // JSONFileCache's plain json.dumps, so a file we write reads like one the CLI wrote.
  return pythonJsonDumps(entry);
}

/**
 * Creates the cache directory if needed: 0700, the user's alone (a session is a secret). Throws what
 * mkdir throws; callers treat failure as "no cache".
 */
export function ensureCacheDir(dir: string): void {
  nodeFs().mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Writes an entry as JSONFileCache does: a 0600 temp file in the same directory, flushed, then
 * renamed over the entry, so a reader sees the old file or the new one and never half of one.
 * Throws on failure (after removing the temp file); the caller decides whether that matters.
 */
export function writeCacheEntry(dir: string, key: string, content: string): void {
  const fs = nodeFs();
  ensureCacheDir(dir);
  const temp = joinPath(dir, `${key}.json.${randomHex(6)}.tmp`);
  const fd = fs.openSync(temp, "wx", 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    unlinkQuietly(temp);
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temp, cacheFile(dir, key));
  } catch (err) {
    unlinkQuietly(temp);
    throw err;
  }
}
