/**
 * The `Expiration` of AWS credentials as text, in the forms botocore and the AWS CLI read and
 * write: AWS_CREDENTIAL_EXPIRATION, a credential_process's answer and the session cache's entries
 * alike. Apart from the cache's code (session-cache/entry.ts), so that keys given with an expiry
 * (sources/given-keys.ts) are checked without it.
 */

/**
 * Parses an `Expiration` in each form writers use: the STS wire form kept by the
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
