/**
 * The URL patterns that cover every CodeCommit endpoint form src/host.ts answers for: `setup --global`
 * scopes its settings to these, so other hosts (GitHub, …) keep their own helpers.
 */
export const CODECOMMIT_URL_PATTERNS: readonly string[] = [
  "https://git-codecommit.*.amazonaws.com",
  "https://git-codecommit-fips.*.amazonaws.com",
  "https://git-codecommit.*.amazonaws.com.cn",
  "https://*.git-codecommit.*.vpce.amazonaws.com",
];

/** `credential.<name>` or `credential.<url>.<name>`. */
export function credentialKey(url: string | undefined, name: string): string {
  return url === undefined ? `credential.${name}` : `credential.${url}.${name}`;
}
