/**
 * What a run gives credential resolution: the profile, the CodeCommit host's region, the
 * environment, the tracer, how to ask for an MFA code, and the clock. In a file of its own because
 * both the warm path (resolve-credentials.ts) and the fetching path (fetch.ts) take it, and neither
 * may import the other's module for it.
 */
import type { Env } from "../env.js";
import type { Tracer } from "../trace.js";

export interface ResolveOptions {
  /** `--profile`; undefined means the default chain. */
  readonly profile: string | undefined;
  /** The CodeCommit host's region: where STS is called unless the profile names a region. */
  readonly hostRegion: string;
  readonly env: Env;
  readonly trace: Tracer;
  /** Asks the user for an MFA code; by default an askpass program, then the terminal (mfa-prompt.ts). */
  readonly promptMfa?: (mfaSerial: string, profile: string) => string;
  /** Whether an MFA prompt is possible at all; by default: a terminal and GIT_TERMINAL_PROMPT != 0. */
  readonly canPrompt?: () => boolean;
  /** The clock for expiry, cache freshness and session names; the real one when absent. */
  readonly now?: () => Date;
}
