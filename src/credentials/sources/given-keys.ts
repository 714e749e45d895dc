/**
 * Credentials given as they are: the environment's (botocore EnvProvider, with
 * AWS_CREDENTIAL_EXPIRATION held to what it says) and a profile's static keys.
 */
import type { EnvSource, StaticSource } from "../../aws-config/credential-source.js";
import type { SigningCredentials } from "../../password.js";
import { checkedExpiry } from "../expiry.js";

/** AWS_ACCESS_KEY_ID and friends, refused when AWS_CREDENTIAL_EXPIRATION is past or not a time. */
export function envCredentials(source: EnvSource, now: Date): SigningCredentials {
  const expiration =
    source.expiration !== undefined
      ? checkedExpiry(source.expiration, now, {
          setting: "AWS_CREDENTIAL_EXPIRATION",
          what: "the credentials in the environment (AWS_ACCESS_KEY_ID)",
          fix: "set fresh ones in the environment, or unset AWS_ACCESS_KEY_ID to use a profile",
        })
      : undefined;
  return {
    accessKeyId: source.accessKeyId,
    secretAccessKey: source.secretAccessKey,
    ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}),
    ...(expiration ? { expiration } : {}),
  };
}

/** A profile's aws_access_key_id / aws_secret_access_key (and session token, if any). */
export function staticCredentials(source: StaticSource): SigningCredentials {
  return {
    accessKeyId: source.accessKeyId,
    secretAccessKey: source.secretAccessKey,
    ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}),
  };
}
