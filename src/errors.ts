/**
 * Every failure the user can act on is a HelperError: a problem and the fix, printed by cli.ts as
 * `git-credential-codecommit: <problem>. <fix>`, one line that git shows. Messages never contain a secret.
 */
export type ErrorKind =
  | "bad-input"
  | "usage"
  | "remote-url"
  | "no-path"
  | "no-region"
  | "unknown-profile"
  | "no-credentials"
  | "config-parse"
  | "sso-expired"
  | "sso-login"
  | "mfa-no-terminal"
  | "mfa"
  | "sts-denied"
  | "unreachable"
  | "credentials"
  | "git"
  /** A profile's settings contradict each other or form a loop (botocore's InvalidConfigError). */
  | "profile-config"
  // credential resolution
  | "network-config"
  | "expired-credentials"
  | "credential-process"
  | "aws-error";

export class HelperError extends Error {
  override readonly name = "HelperError";

  constructor(
    readonly kind: ErrorKind,
    /** What went wrong, without a trailing period. */
    readonly problem: string,
    /** What to do about it, a sentence. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(`${problem}. ${hint}`, options);
  }

  /** The one line the user sees. (Not named `line`: JavaScriptCore gives every Error an own `line` property.) */
  userLine(): string {
    return `git-credential-codecommit: ${this.message}`;
  }
}
