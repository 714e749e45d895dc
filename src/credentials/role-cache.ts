/**
 * The AWS CLI's role-session cache, `~/.aws/cli/cache/<key>.json` (contract §6): which file a role
 * session lives in, how to read one whichever tool wrote it, and how to write one atomically.
 * Sharing the CLI's files is what lets `aws` and this helper reuse each other's sessions.
 *
 * Sources: botocore `credentials.py` (CachedCredentialFetcher, BaseAssumeRoleCredentialFetcher,
 * SSOCredentialFetcher, AssumeRoleProvider._get_role_config) and `utils.py` (JSONFileCache).
 */
import { nodeFs } from "../node-fs.js";
import { isAbsolutePath, joinPath } from "../file-path.js";
import { randomHex, sha1Hex } from "../hashes.js";
import { ENV, type Env } from "../env.js";
import type { Tracer } from "../trace.js";
import { homeDir } from "../aws-config/paths.js";
import { MAX_CACHE_FILE_BYTES, readOwnFile, thisUser, unlinkQuietly, untrustedDirectory } from "./own-file.js";

/** botocore's CachedCredentialFetcher.DEFAULT_EXPIRY_WINDOW_SECONDS: a session is reused while this much remains. */
export const EXPIRY_WINDOW_MS = 15 * 60 * 1000;

/**
 * The largest cache file read. A real entry (an AssumeRole or SSO response) is 1–4 KiB; the limit
 * leaves room for longer session tokens and stops a huge or endless file from costing seconds.
 */
export const MAX_ENTRY_BYTES = MAX_CACHE_FILE_BYTES;

/** The AssumeRole arguments a profile configures: what the CLI hashes into the file name. */
export interface AssumeRoleArgs {
  readonly RoleArn: string;
  readonly ExternalId?: string;
  readonly RoleSessionName?: string;
  readonly SerialNumber?: string;
  readonly DurationSeconds?: number;
}

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

/** `~/.aws/cli/cache`, HOME taken from the environment given; {@link ENV.cliCacheDir} overrides it. */
export function cliCacheDir(env: Env): string {
  const override = env[ENV.cliCacheDir];
  // Never relative: the working directory is the user's git repository (issue 9).
  return override && isAbsolutePath(override) ? override : joinPath(homeDir(env), ".aws", "cli", "cache");
}

/**
 * The cache key of an assumed-role session: sha1 hex of `json.dumps(args, sort_keys=True)`
 * (BaseAssumeRoleCredentialFetcher._create_cache_key).
 */
export function roleCacheKey(args: AssumeRoleArgs): string {
  return fileSafe(sha1Hex(pythonJsonDumps(args, { sortKeys: true, separators: [", ", ": "] })));
}

/** What identifies an SSO role session in the CLI v2's cache. */
export interface SsoRoleArgs {
  readonly accountId: string;
  readonly roleName: string;
  /** `sso_session` for a profile using an [sso-session] section. */
  readonly sessionName?: string;
  /** `sso_start_url` for a legacy SSO profile. */
  readonly startUrl?: string;
}

/**
 * The cache key of an SSO role session (CLI v2, SSOCredentialFetcher._create_cache_key): sha1 hex of
 * minified `json.dumps` of accountId, roleName and sessionName (or, for legacy profiles, startUrl).
 */
export function ssoCacheKey(args: SsoRoleArgs): string {
  return fileSafe(sha1Hex(pythonJsonDumps(args, { sortKeys: true, separators: [",", ":"] })));
}

/** The `json.dumps` settings the AWS CLI uses for cache keys; see {@link pythonJsonDumps}. */
export interface DumpsOptions {
  readonly sortKeys: boolean;
  /** `separators=(item, key)`; Python's default is `(", ", ": ")`. */
  readonly separators: readonly [string, string];
}

/**
 * Python's `json.dumps` with the default `ensure_ascii=True`, for strings, integers and objects of
 * them (an undefined property is left out, as an absent dict key).
 */
export function pythonJsonDumps(value: unknown, options: DumpsOptions): string {
  if (typeof value === "string") return pythonJsonString(value);
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const [item, key] = options.separators;
    const keys = Object.keys(value);
    // sort_keys orders by code point and JavaScript's default sort by UTF-16 unit: the two agree
    // for every key that occurs here (ASCII).
    if (options.sortKeys && keys.length > 1) keys.sort();
    // A plain loop: Array#filter/map/sort are interpreted builtins that cost a Bun run more than the work.
    let out = "";
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      out += `${out === "" ? "" : item}${pythonJsonString(k)}${key}${pythonJsonDumps(v, options)}`;
    }
    return `{${out}}`;
  }
  throw new TypeError(`cannot encode ${typeof value} as JSON the way Python does here`);
}

const NON_ASCII = /[\u007f-\uffff]/;

/** A JSON string as Python writes it with ensure_ascii: everything outside 0x20–0x7e escaped, lowercase hex. */
function pythonJsonString(text: string): string {
  // JSON.stringify already escapes `"`, `\`, control characters and lone surrogates as Python does;
  // Python also escapes DEL and every non-ASCII UTF-16 unit (surrogate pairs as two escapes).
  const json = JSON.stringify(text);
  // Role ARNs are ASCII: skip the callback replace (an interpreted builtin under Bun) when nothing needs escaping.
  if (!NON_ASCII.test(json)) return json;
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** CachedCredentialFetcher._make_file_safe (a hex digest is already safe; kept for fidelity). */
function fileSafe(name: string): string {
  return name.replace(/[:/\\]/g, "_");
}

/** The cache file of a key. */
export function cacheFile(dir: string, key: string): string {
  return joinPath(dir, `${key}.json`);
}

/**
 * Parses the `Expiration` of a cache entry in each form writers use: the STS wire form kept by the
 * CLI v1 (`2019-11-09T13:34:41Z`), Python's `isoformat()` (`...+00:00`) and botocore
 * JSONFileCache's `strftime("%Y-%m-%dT%H:%M:%S%Z")` of a UTC datetime (`...UTC`). Fractional
 * seconds and other offsets are accepted too; anything else is undefined.
 */
export function parseExpiration(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const frac = m[7];
  const zone = m[8] as string;
  // Date.UTC rolls 2099-13-45T99:99:99 over into a later date; Python's datetime refuses it, so must we.
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, frac ? Math.floor(Number(frac) * 1000) : 0);
  const fields = new Date(ms);
  if (fields.getUTCFullYear() !== y || fields.getUTCMonth() !== mo - 1 || fields.getUTCDate() !== d) return undefined;
  if (fields.getUTCHours() !== h || fields.getUTCMinutes() !== mi || fields.getUTCSeconds() !== s) return undefined;
  const offset = /^[+-]/.test(zone) ? zoneOffsetMinutes(zone) : 0;
  if (offset === undefined) return undefined;
  const date = new Date(ms - offset * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `+hh:mm` / `-hhmm` in minutes; undefined past 23:59, which Python's timezone refuses too. */
function zoneOffsetMinutes(zone: string): number | undefined {
  const digits = zone.replace(":", "");
  const hours = Number(digits.slice(1, 3));
  const mins = Number(digits.slice(3, 5));
  if (hours > 23 || mins > 59) return undefined;
  const minutes = hours * 60 + mins;
  return zone.startsWith("-") ? -minutes : minutes;
}

/** `2019-11-09T13:34:41Z`: STS's own Expiration format, which the CLI v1 writes unchanged. */
export function formatExpiration(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

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
  // unusable as a corrupt one, so it is a miss and STS makes a new one (issue 9).
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
export function lookupEntry(dir: string, key: string, now: Date, owner: number | undefined = thisUser(), memo: EntryMemo = {}): EntryLookup {
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
  return pythonJsonDumps(entry, { sortKeys: false, separators: [", ", ": "] });
}

/**
 * Creates the cache directory if needed: 0700, as the user's alone (contract §8). Throws what
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
