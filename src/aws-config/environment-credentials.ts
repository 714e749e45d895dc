/**
 * The environment's keys, read as botocore's EnvProvider reads them, and whether they answer a
 * run without any file. Both rules live here, beside each other, because the second is the first
 * seen from outside: the environment answers exactly when no profile is named and the reading
 * below finds both keys. A run they answer loads this module and profile-name.ts, and none of the
 * files' code (ini, shared-config, credential-source-for).
 */
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { EnvSource } from "./credential-source.js";
import { selectProfile } from "./profile-name.js";

/**
 * Whether environment credentials answer without reading any file: no profile named anywhere
 * (a named one must exist, as the AWS CLI checks first) and both keys set.
 */
export function environmentAnswers(profileArg: string | undefined, env: Env): boolean {
  return selectProfile(profileArg, env).named === undefined && !!env[ENV.accessKeyId] && !!env[ENV.secretAccessKey];
}

/** botocore's EnvProvider: a non-empty AWS_ACCESS_KEY_ID needs a non-empty secret. */
export function envSource(env: Env): EnvSource | undefined {
  const accessKeyId = env[ENV.accessKeyId] ?? "";
  if (!accessKeyId) return undefined;
  const secretAccessKey = env[ENV.secretAccessKey] ?? "";
  if (!secretAccessKey) throw partialCredentials("the environment", ENV.secretAccessKey);
  // AWS_SECURITY_TOKEN first, as botocore (EnvProvider.TOKENS); empty values are skipped.
  const sessionToken = env[ENV.securityToken] || env[ENV.sessionToken] || undefined;
  const expiration = env[ENV.credentialExpiration] || undefined;
  return {
    kind: "env",
    accessKeyId,
    secretAccessKey,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    ...(expiration !== undefined ? { expiration } : {}),
  };
}

/**
 * botocore's PartialCredentialsError: an access key without its secret. The files' keys
 * (credential-source-for.ts) refuse a half pair with these words too.
 */
export function partialCredentials(where: string, missing: string): HelperError {
  return new HelperError(
    "credentials",
    `Partial credentials found in ${where}, missing: ${missing}`,
    "Set both the access key ID and the secret access key, or neither",
  );
}
