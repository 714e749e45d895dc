/**
 * The CodeCommit side of the password check, written from the algorithm alone with
 * plain node:crypto. It deliberately shares no code with src/, so a bug in the helper's signer
 * cannot be mirrored here and pass unnoticed.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** How far the password's timestamp may be from the server's clock, either way (CodeCommit: 15 min). */
export const PASSWORD_VALIDITY_MS = 15 * 60 * 1000;

/** What {@link signCodeCommitPassword} needs. */
export interface SignInput {
  secretAccessKey: string;
  /** Host without port, exactly as signed (the host git sends, minus `:port`). */
  host: string;
  /** The repository path with a leading slash, e.g. `/v1/repos/myrepo`. */
  path: string;
  region: string;
  time: Date;
}

/** What {@link verifyCodeCommitPassword} checks. */
export interface VerifyInput {
  /** Basic-auth user: `accessKeyId` or `accessKeyId%sessionToken`. */
  username: string;
  /** Basic-auth password: `YYYYMMDDTHHMMSSZ<hex signature>`. */
  password: string;
  /** Host from the request, without port. */
  host: string;
  /** URL path of the git request, e.g. `/v1/repos/myrepo/info/refs`. */
  requestPath: string;
  /** The secret for an access key id, or undefined if the key is unknown. */
  secretFor: (accessKeyId: string) => string | undefined;
  now: Date;
  /** Region for a host that does not name one (a `--host` test name); otherwise taken from the host. */
  region?: string;
}

/** Outcome of {@link verifyCodeCommitPassword}. `reason` never contains a secret. */
export type VerifyResult = { ok: true; accessKeyId: string; sessionToken?: string } | { ok: false; reason: string; accessKeyId?: string };

/** `YYYYMMDDTHHMMSS` in UTC, SigV4's basic ISO 8601 form without the `Z`. */
function amzTime(time: Date): string {
  return time.toISOString().replace(/[-:]/g, "").slice(0, 15);
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/**
 * Computes the CodeCommit git password for a repository path, as `aws codecommit credential-helper
 * get` does: SigV4 over a canonical request whose method is `GIT`, signed for service `codecommit`.
 */
export function signCodeCommitPassword(input: SignInput): string {
  const t = amzTime(input.time);
  const date = t.slice(0, 8);
  const canonical = `GIT\n${input.path}\n\nhost:${input.host}\n\nhost\n`;
  const scope = `${date}/${input.region}/codecommit/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${t}\n${scope}\n${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
  // SigV4 signing key: HMAC chain over date, region, service, terminator.
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, date), input.region), "codecommit"), "aws4_request");
  return `${t}Z${createHmac("sha256", key).update(toSign, "utf8").digest("hex")}`;
}

/**
 * The region named by a CodeCommit git endpoint (the host forms of src/host.ts), or undefined.
 * Case-insensitive, as DNS is.
 */
export function codeCommitRegion(host: string): string | undefined {
  const h = host.toLowerCase();
  const match =
    /^git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(h) ??
    /^vpce-[a-z0-9-]+\.git-codecommit(?:-fips)?\.([a-z0-9-]+)\.vpce\.amazonaws\.com$/.exec(h);
  return match?.[1];
}

/**
 * The path CodeCommit signs for a git request path: the repository path `/v1/repos/<name>`, which is
 * what git hands the helper as `path=` with `credential.UseHttpPath=true` (git derives it from the
 * remote URL, not from the `/info/refs` or `/git-upload-pack` URL it then requests).
 * The name is percent-decoded, as git decodes `path` before passing it on.
 */
export function signedPathFor(requestPath: string): string | undefined {
  const match = /^\/v1\/repos\/([^/?#]+)/.exec(requestPath);
  if (match === undefined || match === null || match[1] === undefined) return undefined;
  try {
    return `/v1/repos/${decodeURIComponent(match[1])}`;
  } catch {
    return undefined;
  }
}

/** Parses `YYYYMMDDTHHMMSS` as UTC; undefined if malformed or not a real date. */
function parseAmzTime(t: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return amzTime(date) === t ? date : undefined;
}

/**
 * Checks a Basic-auth username/password the way CodeCommit does: recompute the signature with the
 * password's own timestamp, require an exact match, and require that timestamp to be within
 * {@link PASSWORD_VALIDITY_MS} of `now`.
 */
export function verifyCodeCommitPassword(input: VerifyInput): VerifyResult {
  const percent = input.username.indexOf("%");
  const accessKeyId = percent === -1 ? input.username : input.username.slice(0, percent);
  const sessionToken = percent === -1 ? undefined : input.username.slice(percent + 1);
  const fail = (reason: string): VerifyResult => ({ ok: false, reason, accessKeyId: accessKeyId || undefined });

  if (!accessKeyId) return fail("empty access key id in username");
  const secret = input.secretFor(accessKeyId);
  if (secret === undefined) return fail(`unknown access key id ${accessKeyId}`);

  const region = input.region ?? codeCommitRegion(input.host);
  if (region === undefined) return fail(`no region for host ${input.host}`);

  const path = signedPathFor(input.requestPath);
  if (path === undefined) return fail(`not a repository path: ${input.requestPath}`);

  const m = /^(\d{8}T\d{6})Z([0-9a-f]{64})$/.exec(input.password);
  if (!m || m[1] === undefined) return fail("password is not <YYYYMMDDTHHMMSS>Z<64 hex digits>");
  const time = parseAmzTime(m[1]);
  if (time === undefined) return fail(`password timestamp ${m[1]} is not a date`);

  const expected = Buffer.from(signCodeCommitPassword({ secretAccessKey: secret, host: input.host, path, region, time }));
  const given = Buffer.from(input.password);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return fail(`signature mismatch for host ${input.host}, path ${path}, region ${region}`);
  }

  const skew = time.getTime() - input.now.getTime();
  if (Math.abs(skew) > PASSWORD_VALIDITY_MS) {
    return fail(`password timestamp ${m[1]} is ${Math.round(skew / 1000)} s from server time`);
  }
  return sessionToken === undefined ? { ok: true, accessKeyId } : { ok: true, accessKeyId, sessionToken };
}
