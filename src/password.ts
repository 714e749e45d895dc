/**
 * The CodeCommit git password: a SigV4 signature over a "GIT" canonical request,
 * byte-identical to `aws codecommit credential-helper get` (awscli/customizations/codecommit.py).
 */
import { hmacSha256, hmacSha256Hex, sha256Hex } from "./hashes.js";

/** The credentials the signature needs; a session token only for temporary credentials. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface SignInput {
  readonly credentials: SigningCredentials;
  /** The host without port, as git sent it. */
  readonly host: string;
  /** git's `path` exactly as received: no leading slash, not re-encoded. */
  readonly path: string;
  readonly region: string;
  readonly now: Date;
}

export interface GitCredential {
  readonly username: string;
  readonly password: string;
  /** Unix seconds: the earlier of signing time + 15 min and the credentials' own expiry, as git's `password_expiry_utc` (git-credential(1)). */
  readonly expiresAt: number;
}

/** CodeCommit accepts a signature for 15 minutes after its timestamp. */
const PASSWORD_LIFETIME_SECONDS = 15 * 60;
/** The service name in the credential scope (awscli/customizations/codecommit.py). */
const SERVICE = "codecommit";

/** `YYYYMMDDTHHMMSS` in UTC, without the trailing Z (the CLI's `%Y%m%dT%H%M%S`). */
export function signingTimestamp(now: Date): string {
  const iso = now.toISOString();
  // YYYY-MM-DDTHH:MM:SS.sssZ picked apart by position: a callback-free replace still runs an
  // interpreted builtin under Bun, dear in a run of a few milliseconds. Years past 9999 have a longer form.
  if (iso.length !== 24) return iso.replace(/[-:]/g, "").slice(0, 15);
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19);
}

/** The canonical request the AWS CLI builds for CodeCommit: method GIT, no query, host header only. */
export function canonicalRequest(host: string, path: string): string {
  return `GIT\n/${path}\n\nhost:${host}\n\nhost\n`;
}

/**
 * Computes username, password and expiry for one git request. Synchronous, on the runtime's own
 * hashes (./hashes.ts): the whole signature is five HMACs and one SHA-256, and an SDK signer costs
 * more to load than to run (`npm run bench -- --breakdown` times loading it).
 */
export function signGitPassword(input: SignInput): GitCredential {
  const { credentials, host, path, region, now } = input;
  const timestamp = signingTimestamp(now);
  const date = timestamp.slice(0, 8);
  const scope = `${date}/${region}/${SERVICE}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256Hex(canonicalRequest(host, path))}`;
  const signature = hmacSha256Hex(signingKey(credentials.secretAccessKey, date, region, SERVICE), stringToSign);

  // The CLI's own behaviour: the token rides in the username, after a '%'.
  const username = credentials.sessionToken ? `${credentials.accessKeyId}%${credentials.sessionToken}` : credentials.accessKeyId;
  const signedAt = Math.floor(now.getTime() / 1000);
  const ownExpiry = credentials.expiration ? Math.floor(credentials.expiration.getTime() / 1000) : Infinity;
  return {
    username,
    password: `${timestamp}Z${signature}`,
    expiresAt: Math.min(signedAt + PASSWORD_LIFETIME_SECONDS, ownExpiry),
  };
}

/**
 * The SigV4 signing key: the secret chained through date (`YYYYMMDD`), region, service and
 * "aws4_request" (AWS SigV4, "Derive a signing key").
 */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = hmacSha256(`AWS4${secretAccessKey}`, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  return hmacSha256(kService, "aws4_request");
}
