/**
 * Credentials already at hand, the warm path of `get`: the environment's, a profile's static keys,
 * or a role session (assumed, by web identity or for SSO) the shared cache holds with 15 minutes
 * left. These need no network, no lock and no SDK, so a `get` answered from them loads none of that
 * code. Anything else is undefined here, and fetch.ts fetches it, deciding from the same source
 * (check-profile.ts).
 *
 * This is not a second dispatcher: it answers a narrower question (is there anything to fetch?)
 * for the kinds that can be answered without fetching, and reuses their rules (sources/given-keys.ts,
 * session-entry.ts). The dispatcher, resolve-source.ts, imports every source that fetches, which
 * the warm path must not load.
 */
import type { CredentialSource } from "../aws-config/credential-source.js";
import type { Env } from "../env.js";
import type { SigningCredentials } from "../password.js";
import type { Tracer } from "../trace.js";
import { envCredentials, staticCredentials } from "./sources/given-keys.js";
import { cliCacheDir } from "../session-cache/key.js";
import { lookupEntry, traceCacheHit } from "../session-cache/entry.js";
import { missingSsoSettings } from "../session-cache/sso-session-args.js";
import { roleSessionEntry, type SessionEntry, ssoSessionEntry, webIdentitySessionEntry } from "./session-entry.js";

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
      return freshSession(ctx, roleSessionEntry(source));
    case "web-identity":
      // Only the run's own source comes here: a chain's web identity hop is never cached (sources/web-identity.ts).
      return freshSession(ctx, webIdentitySessionEntry(source));
    case "sso":
      // A profile that lacks a setting is refused by sources/sso.ts, in its words.
      return missingSsoSettings(source).length === 0 ? freshSession(ctx, ssoSessionEntry(source)) : undefined;
    default:
      return undefined;
  }
}

/**
 * A fresh cache entry, looked up exactly as cached-session.ts looks first (same key,
 * same trust checks, same freshness): a hit is the same answer, a miss is left to it.
 */
function freshSession(ctx: AtHandContext, { key, label }: SessionEntry): SigningCredentials | undefined {
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
