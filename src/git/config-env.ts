/**
 * Config entries for a child git passed in its environment (git-config(1) "ENVIRONMENT"), so that
 * they are the last word there. git reads GIT_CONFIG_COUNT/KEY_n/VALUE_n first and
 * GIT_CONFIG_PARAMETERS — what `git -c` and `--config-env` hand their children — after it (config.c,
 * git_config_from_parameters). Entries appended after the COUNT ones would still come before a
 * `git -c credential.helper=store`, which would then be handed the password: so when
 * GIT_CONFIG_PARAMETERS is set they are appended to it, else after the GIT_CONFIG_COUNT entries.
 * Either way the caller's own settings (a CA file, a proxy) are kept and still apply.
 */
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";

/** The environment with `entries` appended where git reads them last. */
export function withConfigEntries(env: Env, entries: ReadonlyArray<readonly [string, string]>): Record<string, string | undefined> {
  const parameters = env[ENV.gitConfigParameters];
  if (parameters !== undefined && parameters.trim() !== "") {
    const ours = entries.map(([key, value]) => `${sqQuote(key)}=${sqQuote(value)}`);
    return { ...env, [ENV.gitConfigParameters]: [parameters, ...ours].join(" ") };
  }
  const given = env[ENV.gitConfigCount];
  let count = 0;
  if (given !== undefined && given !== "") {
    // git itself stops with "bogus count in GIT_CONFIG_COUNT".
    if (!/^\d+$/.test(given))
      throw new HelperError("usage", `${ENV.gitConfigCount} is "${given}", not a number`, `Unset ${ENV.gitConfigCount} or correct it`);
    count = Number(given);
  }
  const out: Record<string, string | undefined> = { ...env };
  for (const [key, value] of entries) {
    out[`${ENV.gitConfigKeyPrefix}${count}`] = key;
    out[`${ENV.gitConfigValuePrefix}${count}`] = value;
    count++;
  }
  out[ENV.gitConfigCount] = String(count);
  return out;
}

/**
 * git's own quoting for GIT_CONFIG_PARAMETERS (quote.c sq_quote_buf): single quotes, with `'` and
 * `!` each written as `'\''` / `'\!'`. The `'key'='value'` pairs it forms are the form git ≥ 2.31
 * writes for `-c`; older git has no GIT_CONFIG_COUNT either.
 */
function sqQuote(text: string): string {
  return `'${text.replace(/['!]/g, (c) => `'\\${c}'`)}'`;
}
