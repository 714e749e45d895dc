/**
 * `doctor --fix`: applies the fixes that cannot lose anything, and says what it did — `setup` (in the
 * scope of the helper line it replaces) where git would not run this helper, would run it only with a
 * long PATH, or runs a storing helper first; and erasing the CodeCommit passwords that storing helpers
 * may still hold, which git would replay once expired (CodeCommit answers 403, not 401, so git never
 * erases them itself). A misspelled profile is not guessed at: doctor names the fix for it.
 */
import { setup } from "../git/setup.js";
import { CODECOMMIT_URL_PATTERNS } from "../git/codecommit-scope.js";
import { credentialEntries, helpersFor, urlmatchBool } from "../git/credential-config.js";
import { classifyHelper, runsByName, shellQuote } from "../git/helper-line.js";
import { runGit, type GitContext } from "../git/run-git.js";
import { gitHome, storedCodeCommitEntries, storeFiles } from "../git/stored-credentials.js";
import { recognizeHost } from "../host.js";

/** What --fix needs to know besides git. */
export interface FixInput {
  readonly url: string;
  readonly inRepository: boolean;
  /** --profile given to doctor; else setup keeps the profile of the line it replaces. */
  readonly profile: string | undefined;
  /** This program's start command, for the helper line setup writes. */
  readonly program: readonly string[] | undefined;
  /** How the user starts this program, for telling them what ran. */
  readonly invocation: string;
}

/** Applies the safe fixes for `url`; returns what it did, one line (or block) each. */
export async function applyFixes(ctx: GitContext, input: FixInput): Promise<string[]> {
  const done: string[] = [];
  const { host } = new URL(input.url);
  // Every storing helper configured for the URL, also those a reset now hides: they may hold a password from before it.
  const storing = [
    ...new Set((await helpersFor(ctx, input.url, true)).map((h) => h.value).filter((v) => classifyHelper(v).kind === "storing")),
  ];

  const helpers = await helpersFor(ctx, input.url);
  const kinds = helpers.map((h) => classifyHelper(h.value));
  const at = kinds.findIndex((k) => k.kind === "ours");
  const oursAt = at === -1 ? undefined : helpers[at];
  const needsSetup =
    oursAt === undefined ||
    kinds.some((k, i) => k.kind === "aws-cli" || (k.kind === "storing" && i < at)) ||
    // A bare `codecommit` line needs PATH, which a GUI git lacks; setup writes the absolute path.
    runsByName(oursAt.value) ||
    (await urlmatchBool(ctx, "usehttppath", input.url)) !== true;
  if (needsSetup) {
    const global = oursAt ? oursAt.scope === "global" || oursAt.scope === "system" : !input.inRepository;
    const said = await setup(
      { profile: input.profile, region: undefined, global, ...(input.program ? { program: input.program } : {}) },
      ctx,
    );
    const command = `${input.invocation} setup${global ? " --global" : ""}${input.profile ? ` --profile ${shellQuote(input.profile)}` : ""}`;
    done.push(`ran ${command}\n${said}`);
  }

  // With setup --global in place every CodeCommit host is this helper's, so every stored one goes.
  const globalEntries = await credentialEntries(ctx, "global");
  const globalSetup = globalEntries.some(
    (e) => e.name === "helper" && e.url !== undefined && CODECOMMIT_URL_PATTERNS.includes(e.url) && classifyHelper(e.value).kind === "ours",
  );
  const home = gitHome(ctx.env);
  // credential-store's default files too, when no store helper reads them: a password kept there before still replays.
  const read = new Set(storing.filter(isStore).flatMap((v) => storeFiles(v, ctx.env, home)));
  const leftovers = storeFiles(undefined, ctx.env, home).filter((f) => !read.has(f) && storedCodeCommitEntries([f]).length > 0);
  for (const value of [...storing, ...leftovers.map((f) => `store --file ${shellQuote(f)}`)]) {
    const listed = isStore(value) ? storedCodeCommitEntries(storeFiles(value, ctx.env, home)).map((e) => e.host) : undefined;
    const hosts = new Set([
      ...(listed === undefined || listed.includes(host) ? [host] : []),
      ...(globalSetup && listed ? listed.filter((h) => recognizeHost(h)) : []),
    ]);
    for (const h of hosts) {
      const r = await erase(ctx, value, h);
      done.push(r === 0 ? `erased the password "${value}" stores for ${h}, if it held one` : `"${value}" could not erase ${h} (exit ${r})`);
    }
  }
  return done;
}

/** `git credential-store`, whose files can be read to list the hosts it holds. */
function isStore(value: string): boolean {
  const kind = classifyHelper(value);
  return kind.kind === "storing" && kind.name === "store";
}

/**
 * `erase` for one helper, exactly as git runs it (`git credential-<name> erase`, a path, or a `!`
 * command; gitcredentials(7)): through `git credential reject` with only that helper configured.
 * The request names the protocol and host alone, which matches every stored path and user name.
 */
async function erase(ctx: GitContext, value: string, host: string): Promise<number> {
  const args = ["-c", "credential.helper=", "-c", `credential.helper=${value}`, "credential", "reject"];
  return (await runGit(ctx, args, `protocol=https\nhost=${host}\n\n`)).code;
}
