/**
 * The CodeCommit git password: a SigV4 signature over a "GIT" canonical request (contract §4),
 * byte-identical to `aws codecommit credential-helper get` (awscli/customizations/codecommit.py).
 */
import { Hash } from "@smithy/hash-node";
import { createScope, getSigningKey } from "@smithy/signature-v4";

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
  /** Unix seconds: the earlier of signing time + 15 min and the credentials' own expiry (§5). */
  readonly expiresAt: number;
}

/** CodeCommit accepts a signature for 15 minutes after its timestamp. */
const PASSWORD_LIFETIME_SECONDS = 15 * 60;

/** @smithy/signature-v4 builds HMACs as `new ctor(secret)`; this binds the algorithm name. */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super("sha256", secret);
  }
}

/** `YYYYMMDDTHHMMSS` in UTC, without the trailing Z (the CLI's `%Y%m%dT%H%M%S`). */
export function signingTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").slice(0, 15);
}

/** The canonical request the AWS CLI builds for CodeCommit: method GIT, no query, host header only. */
export function canonicalRequest(host: string, path: string): string {
  return `GIT\n/${path}\n\nhost:${host}\n\nhost\n`;
}

/** Computes username, password and expiry for one git request. */
export async function signGitPassword(input: SignInput): Promise<GitCredential> {
  const { credentials, host, path, region, now } = input;
  const timestamp = signingTimestamp(now);
  const date = timestamp.slice(0, 8);
  const scope = createScope(date, region, "codecommit");
  const stringToSign = `AWS4-HMAC-SHA256\n${timestamp}\n${scope}\n${await sha256Hex(canonicalRequest(host, path))}`;
  const key = await getSigningKey(Sha256, credentials, date, region, "codecommit");
  const signature = await hmacHex(key, stringToSign);

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

async function sha256Hex(data: string): Promise<string> {
  const h = new Sha256();
  h.update(data);
  return Buffer.from(await h.digest()).toString("hex");
}

async function hmacHex(key: Uint8Array, data: string): Promise<string> {
  const h = new Sha256(key);
  h.update(data);
  return Buffer.from(await h.digest()).toString("hex");
}
