/**
 * Credentials already at hand, the warm path of `get`: the environment's, a profile's static keys, or a role
 * session (assumed, by web identity or for SSO) the shared cache holds with 15 minutes left. These
 * need no network, no lock and no SDK, so a `get` answered from them loads none of that code.
 * Anything else is undefined here, and fetch.ts fetches it, deciding from the same source
 * (check-profile.ts).
 */
import type { CredentialSource } from "../aws-config/credential-source.js";
import type { Env } from "../env.js";
import type { SigningCredentials } from "../password.js";
import type { Tracer } from "../trace.js";
import { roleArgs, roleSessionLabel, webIdentityArgs, webIdentitySessionLabel } from "../session-cache/assume-role-request.js";
import { envCredentials, staticCredentials } from "./sources/given-keys.js";
import { cliCacheDir, roleCacheKey, ssoCacheKey } from "../session-cache/key.js";
import { lookupEntry, traceCacheHit } from "../session-cache/entry.js";
import { missingSsoSettings, ssoRoleArgs, ssoSessionLabel } from "../session-cache/sso-session-args.js";

export interface AtHandContext {
  readonly env: Env;
  readonly now: Date;
  readonly trace: Tracer;
}

/** The credentials `source` yields without fetching anything, or undefined when they must be fetched. */
export function credentialsAtHand(source: CredentialSource, ctx: AtHandContext): SigningCredentials | undefined {
  switch (source.kind) {
    case "env":
      return envCredentials(source, ctx.now);
    case "static":
      return staticCredentials(source);
    case "assume-role":
      return freshSession(ctx, roleCacheKey(roleArgs(source)), roleSessionLabel(source));
    case "web-identity":
      // Only the run's own source comes here: a chain's web identity hop is never cached (sources/web-identity.ts).
      return freshSession(ctx, roleCacheKey(webIdentityArgs(source)), webIdentitySessionLabel(source));
    case "sso":
      // A profile that lacks a setting is refused by sources/sso.ts, in its words.
      return missingSsoSettings(source).length === 0 ? freshSession(ctx, ssoCacheKey(ssoRoleArgs(source)), ssoSessionLabel(source)) : undefined;
    default:
      return undefined;
  }
}

/**
 * A fresh cache entry under `key`, looked up exactly as cached-session.ts looks first (same key,
 * same trust checks, same freshness): a hit is the same answer, a miss is left to it.
 */
function freshSession(ctx: AtHandContext, key: string, label: string): SigningCredentials | undefined {
  let dir: string;
  try {
    dir = cliCacheDir(ctx.env);
  } catch {
    // No home directory: the full path reports it, in its own order.
    return undefined;
  }
  const found = lookupEntry(dir, key, ctx.now);
  if (!("credentials" in found)) return undefined;
  traceCacheHit(ctx.trace, label, key, found.credentials);
  return found.credentials;
}
