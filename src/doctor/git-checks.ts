/**
 * doctor's checks of git's side (contract §9): git's version, the helpers git runs for the URL and
 * their order, stored CodeCommit passwords, UseHttpPath, and whether git finds this program.
 */
import { ENV } from "../env.js";
import { helpersFor, urlmatchBool, type ActiveHelper } from "../git/credential-config.js";
import { findProgram, pathDirs } from "../git/find-program.js";
import { classifyHelper, eraseCommand, shellQuote, type HelperKind } from "../git/helper-line.js";
import { runGit, type GitContext } from "../git/run-git.js";
import { storedCodeCommitEntries, storeFiles } from "../git/stored-credentials.js";
import { fail, ok, warn, type Check } from "./check.js";

/** git 2.40 is the first to honour `password_expiry_utc` (Documentation/RelNotes/2.40.0.txt). */
const EXPIRY_AWARE: readonly [number, number] = [2, 40];

/** git's version: ⚠ below 2.40, which ignores `password_expiry_utc`. */
export async function gitVersionCheck(ctx: GitContext): Promise<Check> {
  const out = (await runGit(ctx, ["--version"])).stdout.trim();
  const m = /(\d+)\.(\d+)(\.\d+)?/.exec(out);
  const version = m ? m[0] : out;
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (major > EXPIRY_AWARE[0] || (major === EXPIRY_AWARE[0] && minor >= EXPIRY_AWARE[1])) return ok(`git ${version}`);
  return warn(`git ${version} ignores password_expiry_utc (git 2.40 and later honour it): a helper that stores passwords could hand git an expired one`, "upgrade git to 2.40 or later");
}

/** Where the user is, for the fix commands: inside a repository `setup` fixes it there, else globally. */
export interface Place {
  readonly inRepository: boolean;
  /** --profile for a suggested `setup`. */
  readonly profile: string | undefined;
}

/** `git-credential-codecommit setup …`, the fix for any helper-order problem. */
export function setupCommand(place: Place, scope?: ActiveHelper["scope"]): string {
  const global = !place.inRepository || scope === "global" || scope === "system";
  return `git-credential-codecommit setup${global ? " --global" : ""}${place.profile ? ` --profile ${shellQuote(place.profile)}` : ""}`;
}

/** What {@link helperChecks} found. */
export interface HelperFindings {
  readonly checks: Check[];
  /** Our helper line as git will run it for the URL, if it does. */
  readonly ours: Extract<HelperKind, { kind: "ours" }> | undefined;
  /** The profile to check: --profile, else our line's, else that of an AWS CLI line `setup` would migrate. */
  readonly profile: string | undefined;
}

/** The helpers git runs for `url`, in order, and what is wrong with that order. */
export async function helperChecks(ctx: GitContext, url: string, place: Place): Promise<HelperFindings> {
  // git-credential-store's files are under git's idea of home: HOME (USERPROFILE on Windows).
  const home = ctx.env[ENV.home] ?? ctx.env[ENV.userProfile] ?? "";
  const helpers = await helpersFor(ctx, url);
  const kinds = helpers.map((h) => classifyHelper(h.value));
  const oursAt = kinds.findIndex((k) => k.kind === "ours");
  const ours = oursAt === -1 ? undefined : (kinds[oursAt] as Extract<HelperKind, { kind: "ours" }>);
  const fixPlace: Place = { ...place, profile: place.profile ?? ours?.profile ?? kinds.flatMap((k) => (k.kind === "aws-cli" && k.profile ? [k.profile] : []))[0] };
  const checks: Check[] = [];
  const list = helpers.length === 0 ? "none" : helpers.map((h) => `"${h.value}" (${h.scope})`).join(", ");
  if (ours) checks.push(ok(`git runs these credential helpers for this URL, in order: ${list}`));
  else checks.push(fail(`git does not run git-credential-codecommit for this URL; it runs: ${list}`, setupCommand(fixPlace)));

  const { host } = new URL(url);
  helpers.forEach((h, i) => {
    const kind = kinds[i] as HelperKind;
    if (kind.kind === "aws-cli") {
      checks.push(fail(`an old "aws codecommit credential-helper" line is still in use (${h.scope} config): ${h.value}`, setupCommand(fixPlace, h.scope)));
    } else if (kind.kind === "storing" && (oursAt === -1 || i < oursAt)) {
      const fixes = [setupCommand(fixPlace, h.scope)];
      // A keychain may already hold a CodeCommit password; the store file is checked below.
      if (kind.name !== "store") fixes.push(eraseCommand(h.value, host));
      checks.push(
        fail(
          `"${h.value}" (${h.scope} config) runs before git-credential-codecommit and stores passwords: once a 15-minute password expires, git replays it and fails with 403`,
          ...fixes,
        ),
      );
    } else if (kind.kind === "storing") {
      checks.push(warn(`"${h.value}" (${h.scope} config) runs after git-credential-codecommit: git hands it every password (and session token) to keep, though it never needs one`, setupCommand(fixPlace, h.scope)));
    }
  });

  // Passwords that credential-store kept: fatal while a store helper still answers first.
  const stores = helpers.filter((h, i) => kinds[i]?.kind === "storing" && (kinds[i] as { name: string }).name === "store");
  const files = [...new Set([...stores.flatMap((h) => storeFiles(h.value, ctx.env, home)), ...storeFiles(undefined, ctx.env, home)])];
  const storeFirst = helpers.some((h, i) => stores.includes(h) && (oursAt === -1 || i < oursAt));
  for (const entry of storedCodeCommitEntries(files)) {
    const text = `${entry.file} holds a stored CodeCommit password for ${entry.host}`;
    const erase = eraseCommand(`store --file ${shellQuote(entry.file)}`, entry.host);
    checks.push(storeFirst ? fail(`${text}, which git will replay once it expires (403)`, erase) : warn(`${text} (git no longer uses it, but it holds a session token)`, erase));
  }
  return { checks, ours, profile: fixPlace.profile };
}

/** `credential.UseHttpPath` as git resolves it for the URL: without it the signature cannot be made. */
export async function useHttpPathCheck(ctx: GitContext, url: string, place: Place): Promise<Check> {
  if ((await urlmatchBool(ctx, "usehttppath", url)) === true) return ok("credential.UseHttpPath is true for this URL");
  return fail(
    "credential.UseHttpPath is not true for this URL: git would not send the repository path, which the CodeCommit signature needs",
    place.inRepository ? "git config credential.UseHttpPath true" : `git config --global credential.${new URL(url).origin}.UseHttpPath true`,
  );
}

/** git runs `credential.helper=codecommit` as `git credential-codecommit`: can it find it? */
export async function programCheck(ctx: GitContext, selfPath: string | undefined): Promise<Check> {
  const r = await runGit(ctx, ["credential-codecommit", "--version"]);
  const version = /^git-credential-codecommit (\S+)/.exec(r.stdout)?.[1];
  if (r.code === 0 && version) {
    const execPath = (await runGit(ctx, ["--exec-path"])).stdout.trim();
    const where = findProgram("git-credential-codecommit", [execPath, ...pathDirs(ctx.env[ENV.path])]);
    return ok(`git finds git-credential-codecommit ${version}${where ? ` at ${where}` : ""}`);
  }
  const install = selfPath ? `sudo install -m 0755 ${shellQuote(selfPath)} /usr/local/bin/git-credential-codecommit` : "put git-credential-codecommit in a directory on PATH";
  return fail("git cannot find git-credential-codecommit on its PATH, so credential.helper=codecommit runs nothing", install);
}
