/**
 * ~/.aws/sso/cache as the AWS CLI v2 and botocore keep it, so a login by either tool serves the
 * other: file names (botocore `SSOTokenLoader._generate_cache_key`,
 * `BaseSSOTokenFetcher._registration_cache_key`), JSON fields and their order, and the
 * `%Y-%m-%dT%H:%M:%SZ` timestamps of `_sso_json_dumps`. Files are written 0600 via temp + rename.
 */
import { readCacheText } from "../session-cache/own-file.js";
import { joinPath } from "../runtime/file-path.js";
import type { Env } from "../env.js";
import { homeDir } from "../aws-config/paths.js";
import { sha1Hex } from "../hashes.js";
import { formatExpiration, parseExpiration } from "../aws-config/expiration.js";
import { writeCacheEntry } from "../session-cache/entry.js";
import { pythonJsonDumps } from "../session-cache/python-json.js";
import type { SsoSession } from "./session.js";

/** The token file, fields in the order the AWS CLI writes them; timestamps as written. */
export interface TokenFile {
  readonly startUrl: string;
  readonly region: string;
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly registrationExpiresAt?: string;
  readonly refreshToken?: string;
}

/** A client registration file (`SSOTokenFetcher._register_client` / `SSOTokenFetcherAuth._register_client`). */
export interface RegistrationFile {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly expiresAt: string;
  readonly scopes?: readonly string[];
  /** Present for authorization-code registrations only (the CLI did not record it for device ones). */
  readonly grantTypes?: readonly string[];
}

/** `~/.aws/sso/cache`: botocore has no setting to move it. */
export function ssoCacheDir(env: Env): string {
  return joinPath(homeDir(env), ".aws", "sso", "cache");
}

/** The token's file name without `.json`: sha1 of the session name, or of the start URL for a legacy profile. */
export function tokenCacheKey(session: SsoSession): string {
  return sha1Hex(session.sessionName ?? session.startUrl);
}

/** The registration's file name without `.json`: sha1 of Python's sorted `json.dumps` of what makes it unique. */
export function registrationCacheKey(session: SsoSession): string {
  return sha1Hex(
    pythonJsonDumps(
      {
        tool: "botocore",
        startUrl: session.startUrl,
        region: session.region,
        scopes: session.registrationScopes ?? null,
        session_name: session.sessionName ?? null,
      },
      { sortKeys: true },
    ),
  );
}

/** A timestamp as the AWS CLI writes it into these files. */
export function formatTimestamp(date: Date): string {
  return formatExpiration(date);
}

/** Parses a timestamp the CLI, botocore or an SDK wrote (`...Z`, `+00:00`, `UTC`, with or without fractions). */
export function parseTimestamp(value: unknown): Date | undefined {
  return parseExpiration(value);
}

/** The cached token, or undefined when there is none the CLI could use (no accessToken or expiresAt). */
export function readTokenFile(dir: string, key: string): TokenFile | undefined {
  const json = readJson(dir, key);
  if (typeof json?.accessToken !== "string" || typeof json.expiresAt !== "string") return undefined;
  return json as unknown as TokenFile;
}

/** The cached registration, or undefined when there is none usable. */
export function readRegistrationFile(dir: string, key: string): RegistrationFile | undefined {
  const json = readJson(dir, key);
  if (typeof json?.clientId !== "string" || typeof json.clientSecret !== "string" || typeof json.expiresAt !== "string") return undefined;
  return json as unknown as RegistrationFile;
}

/** Writes a token file byte for byte as the CLI would (key order of the interface, optional keys only when set). */
export function writeTokenFile(dir: string, key: string, token: TokenFile): void {
  const ordered: TokenFile = {
    startUrl: token.startUrl,
    region: token.region,
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    registrationExpiresAt: token.registrationExpiresAt,
    refreshToken: token.refreshToken,
  };
  writeCacheEntry(dir, key, pythonJsonDumps(ordered));
}

/** Writes a registration file as the CLI would. */
export function writeRegistrationFile(dir: string, key: string, registration: RegistrationFile): void {
  const ordered: RegistrationFile = {
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    expiresAt: registration.expiresAt,
    scopes: registration.scopes,
    grantTypes: registration.grantTypes,
  };
  writeCacheEntry(dir, key, pythonJsonDumps(ordered));
}

function readJson(dir: string, key: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readCacheText(joinPath(dir, `${key}.json`)));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    // Missing, unreadable or not JSON: botocore's JSONFileCache treats each as a miss.
    return undefined;
  }
}
