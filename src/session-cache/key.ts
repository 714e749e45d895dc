/**
 * Which file of the AWS CLI's cache holds a session: `~/.aws/cli/cache/<key>.json`, the key a sha1
 * of the arguments that made the session, dumped as Python's `json.dumps` dumps them. The same
 * key as the CLI's is what lets `aws` and this helper reuse each other's sessions; the warm path
 * opens that one file by name and never lists the directory.
 *
 * Sources: botocore `credentials.py` (CachedCredentialFetcher._make_file_safe,
 * BaseAssumeRoleCredentialFetcher._create_cache_key, SSOCredentialFetcher._create_cache_key).
 */
import { isAbsolutePath, joinPath } from "../runtime/file-path.js";
import { sha1Hex } from "../hashes.js";
import { ENV, type Env } from "../env.js";
import { homeDir } from "../aws-config/paths.js";
import { pythonJsonDumps } from "./python-json.js";

/** The AssumeRole arguments a profile configures: what the CLI hashes into the file name. */
export interface AssumeRoleArgs {
  readonly RoleArn: string;
  readonly ExternalId?: string;
  readonly RoleSessionName?: string;
  readonly SerialNumber?: string;
  readonly DurationSeconds?: number;
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

/** `~/.aws/cli/cache`, HOME taken from the environment given; {@link ENV.cliCacheDir} overrides it. */
export function cliCacheDir(env: Env): string {
  const override = env[ENV.cliCacheDir];
  // Never relative: the working directory is the user's git repository, not a place for secrets.
  return override && isAbsolutePath(override) ? override : joinPath(homeDir(env), ".aws", "cli", "cache");
}

/**
 * The cache key of an assumed-role session: sha1 hex of `json.dumps(args, sort_keys=True)`
 * (BaseAssumeRoleCredentialFetcher._create_cache_key).
 */
export function roleCacheKey(args: AssumeRoleArgs): string {
  return fileSafe(sha1Hex(pythonJsonDumps(args, { sortKeys: true })));
}

/**
 * The cache key of an SSO role session (CLI v2, SSOCredentialFetcher._create_cache_key): sha1 hex of
 * minified `json.dumps` of accountId, roleName and sessionName (or, for legacy profiles, startUrl).
 */
export function ssoCacheKey(args: SsoRoleArgs): string {
  return fileSafe(sha1Hex(pythonJsonDumps(args, { sortKeys: true, separators: [",", ":"] })));
}

/** CachedCredentialFetcher._make_file_safe (a hex digest is already safe; kept for fidelity). */
function fileSafe(name: string): string {
  return name.replace(/[:/\\]/g, "_");
}

/** The cache file of a key: the one file a lookup opens. */
export function cacheFile(dir: string, key: string): string {
  return joinPath(dir, `${key}.json`);
}
