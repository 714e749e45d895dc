/**
 * CodeCommit endpoint recognition (README, "Migrating from `aws codecommit credential-helper`"). An
 * exact match on the whole host name, unlike the AWS CLI's substring test, which hands session
 * tokens to look-alike hosts.
 */

/** A host this helper answers for. `region` is undefined for a `--host` name (region comes from elsewhere). */
export interface CodeCommitHost {
  /** The host name to sign: as git sent it, without the port, case preserved (what the AWS CLI signs). */
  readonly signedHost: string;
  readonly region: string | undefined;
  readonly variant: "standard" | "fips" | "china" | "vpce" | "custom";
}

// AWS region names: lowercase letters, digits and dashes, e.g. us-east-1, us-gov-west-1, cn-north-1.
const REGION = "([a-z]{2}(?:-[a-z0-9]+)+-\\d+)";
const PATTERNS: ReadonlyArray<readonly [CodeCommitHost["variant"], RegExp]> = [
  ["standard", new RegExp(`^git-codecommit\\.${REGION}\\.amazonaws\\.com$`)],
  ["fips", new RegExp(`^git-codecommit-fips\\.${REGION}\\.amazonaws\\.com$`)],
  ["china", new RegExp(`^git-codecommit\\.${REGION}\\.amazonaws\\.com\\.cn$`)],
  ["vpce", new RegExp(`^vpce-[a-z0-9]+(?:-[a-z0-9]+)*\\.git-codecommit(?:-fips)?\\.${REGION}\\.vpce\\.amazonaws\\.com$`)],
];

/** One or more printable ASCII characters, no space: the only host names compared at all. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** Lower-cases A–Z only, leaving every other character as it is. */
function asciiLowerCase(text: string): string {
  // On ASCII text toLowerCase changes A–Z alone, and costs a Bun run less than the callback replace.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Removes a `:port` suffix (and brackets from an IPv6 literal, which never matches anyway). */
export function stripPort(host: string): string {
  const m = /^(.*?)(?::\d*)?$/.exec(host);
  return m?.[1] ?? host;
}

/**
 * Recognises a CodeCommit host, or one of the `--host` names given (compared exactly, ignoring case).
 * Returns undefined for anything else, so the caller stays silent and git asks its next helper.
 */
export function recognizeHost(hostWithPort: string, extraHosts: readonly string[] = []): CodeCommitHost | undefined {
  const signedHost = stripPort(hostWithPort);
  // DNS names are ASCII (IDNs travel as punycode). Unicode case folding would let a look-alike in:
  // "\u212A" (KELVIN SIGN) lower-cases to "k".
  if (!PRINTABLE_ASCII.test(signedHost)) return undefined;
  const lower = asciiLowerCase(signedHost);
  for (const [variant, re] of PATTERNS) {
    const m = re.exec(lower);
    if (m) return { signedHost, region: m[1], variant };
  }
  // A loop rather than Array#some (an interpreted builtin under Bun): every foreign host comes here.
  for (let i = 0; i < extraHosts.length; i++) {
    if (asciiLowerCase(stripPort(extraHosts[i] as string)) === lower) return { signedHost, region: undefined, variant: "custom" };
  }
  return undefined;
}
