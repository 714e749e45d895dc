/**
 * Reading git's `credential.*` configuration: the entries of one file, and the helper list git
 * builds for a URL. git applies every matching `credential.helper` in config order (credential.c
 * uses urlmatch with select_all), an empty value clearing the list so far — so the list is folded
 * here from the ordered entries, with git itself deciding which URL patterns match.
 */
import { withConfigEntries } from "./config-env.js";
import { gitOutput, runGit, type GitContext } from "./run-git.js";

/** Where a config entry comes from (`git config --show-scope`). */
export type ConfigScope = "system" | "global" | "local" | "worktree" | "command" | "unknown";

/** One `credential.*` setting as git reads it. */
export interface CredentialEntry {
  readonly scope: ConfigScope;
  /** The URL pattern of `credential.<url>.<name>`; undefined for plain `credential.<name>`. */
  readonly url: string | undefined;
  /** The variable name, lower-cased by git (`helper`, `usehttppath`). */
  readonly name: string;
  readonly value: string;
}

/** `--local` or `--global`: the file `setup` writes. */
export type WriteScope = "local" | "global";

/** Every `credential.*` entry git reads here, in git's order; `file` limits it to one scope. */
export async function credentialEntries(ctx: GitContext, file?: WriteScope): Promise<CredentialEntry[]> {
  const args = ["config", ...(file ? [`--${file}`] : []), "--null", "--show-scope", "--get-regexp", "^credential\\."];
  const r = await runGit(ctx, args);
  // Exit 1: no such entries.
  if (r.code === 1 && r.stdout === "") return [];
  if (r.code !== 0) await gitOutput(ctx, args);
  const fields = r.stdout.split("\0");
  const entries: CredentialEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i] as ConfigScope;
    const item = fields[i + 1] as string;
    const nl = item.indexOf("\n");
    const key = nl === -1 ? item : item.slice(0, nl);
    const value = nl === -1 ? "" : item.slice(nl + 1);
    const rest = key.slice("credential.".length);
    const dot = rest.lastIndexOf(".");
    entries.push({ scope, url: dot === -1 ? undefined : rest.slice(0, dot), name: rest.slice(dot + 1), value });
  }
  return entries;
}

/** A helper git will run for a URL, with where it was configured. */
export interface ActiveHelper {
  readonly value: string;
  readonly scope: ConfigScope;
  readonly url: string | undefined;
}

/**
 * The helpers git runs for `url`, in order: every matching `helper` entry, an empty one clearing the
 * list. `cleared`: keep those an empty value cleared too — they may still hold passwords from before.
 */
export async function helpersFor(ctx: GitContext, url: string, cleared = false): Promise<ActiveHelper[]> {
  const entries = await credentialEntries(ctx);
  const patterns = [...new Set(entries.flatMap((e) => (e.url !== undefined && e.name === "helper" ? [e.url] : [])))];
  const matching = await matchingPatterns(ctx, patterns, url);
  let helpers: ActiveHelper[] = [];
  for (const e of entries) {
    if (e.name !== "helper" || (e.url !== undefined && !matching.has(e.url))) continue;
    if (e.value !== "") helpers = [...helpers, { value: e.value, scope: e.scope, url: e.url }];
    else if (!cleared) helpers = [];
  }
  return helpers;
}

/**
 * Which of the URL patterns git considers a match for `url` — asked of git itself, in one call:
 * each pattern gets a probe variable through GIT_CONFIG_COUNT, and `--get-urlmatch` names those
 * that apply (host globs, default ports, path prefixes and user names exactly as git compares them).
 */
async function matchingPatterns(ctx: GitContext, patterns: readonly string[], url: string): Promise<Set<string>> {
  if (patterns.length === 0) return new Set();
  const env = withConfigEntries(
    ctx.env,
    patterns.map((p, i) => [`credential.${p}.codecommitprobe${i}`, "1"]),
  );
  const r = await runGit({ ...ctx, env }, ["config", "--get-urlmatch", "credential", url]);
  const matched = new Set<string>();
  for (const line of r.stdout.split("\n")) {
    const m = /^credential\.codecommitprobe(\d+) /.exec(line);
    if (m) matched.add(patterns[Number(m[1])] as string);
  }
  return matched;
}

/** `git config --type=bool --get-urlmatch credential.<name> <url>`: true, false or unset. */
export async function urlmatchBool(ctx: GitContext, name: string, url: string): Promise<boolean | undefined> {
  const r = await runGit(ctx, ["config", "--type=bool", "--get-urlmatch", `credential.${name}`, url]);
  return r.code === 0 ? r.stdout.trim() === "true" : undefined;
}
