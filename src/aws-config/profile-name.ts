/**
 * Which profile botocore uses. The session variable `profile` is `--profile` when given (the AWS
 * CLI sets it only for a non-empty value), else the environment, where botocore 1.43 looks at
 * AWS_DEFAULT_PROFILE *before* AWS_PROFILE (configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES),
 * a variable set to "" counting as set. The credential chain then uses that name, or "default".
 */
import { ENV, type Env } from "../env.js";

export interface ProfileSelection {
  /** The name given explicitly (`--profile`, AWS_DEFAULT_PROFILE or AWS_PROFILE); it must exist. */
  readonly named: string | undefined;
  /** The profile whose settings the credential chain reads: `named || "default"` (botocore). */
  readonly profile: string;
  /** `--profile` was given: botocore then drops environment credentials from the chain. */
  readonly fromArgument: boolean;
}

/** The profile botocore would use for `--profile` (undefined or "" when absent) and the environment. */
export function selectProfile(profileArg: string | undefined, env: Env): ProfileSelection {
  const fromArgument = profileArg !== undefined && profileArg !== "";
  const named = fromArgument ? profileArg : (env[ENV.defaultProfile] ?? env[ENV.profile]);
  return { named, profile: named || "default", fromArgument };
}
