/**
 * doctor's checks of git's side (README, "Troubleshooting"): git's version, the helpers git runs for the URL and
 * their order, stored CodeCommit passwords, UseHttpPath, and whether git finds this program.
 */
import { ENV } from "../env.js";
import { helpersFor, urlmatchBool, type ActiveHelper } from "../git/credential-config.js";
import { findProgram, pathDirs } from "../git/find-program.js";
import { classifyHelper, eraseCommand, helperCommand, shellQuote, shellWords, type HelperKind } from "../git/helper-line.js";
import { runGit, type GitContext } from "../git/run-git.js";
import { gitHome, storedCodeCommitEntries, storeFiles } from "../git/stored-credentials.js";
import { fail, ok, warn, type Check } from "./check.js";

/** git 2.40 is the first to honour `password_expiry_utc` (Documentation/RelNotes/2.40.0.txt). */
const EXPIRY_AWARE: readonly [number, number] = [2, 40];

/**
 * git's version: ⚠ below 2.40, which ignores `password_expiry_utc` — only when a helper that
 * stores passwords is configured for the URL, as nothing else could replay an expired one.
 */
export async function gitVersionCheck(ctx: GitContext, storingHelper: boolean): Promise<Check> {
  const out = (await runGit(ctx, ["--version"])).stdout.trim();
  const m = /(\d+)\.(\d+)(\.\d+)?/.exec(out);
  const version = m ? m[0] : out;
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!storingHelper || major > EXPIRY_AWARE[0] || (major === EXPIRY_AWARE[0] && minor >= EXPIRY_AWARE[1])) return ok(`git ${version}`);
  return warn(
    `git ${version} ignores password_expiry_utc (git 2.40 and later honour it): a helper that stores passwords could hand git an expired one`,
    "upgrade git to 2.40 or later",
  );
}

/** Where the user is, for the fix commands: inside a repository `setup` fixes it there, else globally. */
export interface Place {
  readonly inRepository: boolean;
  /** --profile for a suggested `setup`. */
  readonly profile: string | undefined;
  /** How the user starts this program: its bare name when PATH finds it, else its path. */
  readonly invocation: string;
}

/** `git-credential-codecommit setup …`, the fix for any helper-order problem. */
export function setupCommand(place: Place, scope?: ActiveHelper["scope"]): string {
  const global = !place.inRepository || scope === "global" || scope === "system";
  return `${place.invocation} setup${global ? " --global" : ""}${place.profile ? ` --profile ${shellQuote(place.profile)}` : ""}`;
}

/** What {@link helperChecks} found. */
export interface HelperFindings {
  readonly checks: Check[];
  /** Our helper line as git will run it for the URL, if it does. */
  readonly ours: Extract<HelperKind, { kind: "ours" }> | undefined;
  /** That line as configured: its value, file and URL pattern. */
  readonly oursAt: ActiveHelper | undefined;
  /** Whether a helper that stores passwords is among those git runs for the URL. */
  readonly storing: boolean;
  /** The profile to check: --profile, else our line's, else that of an AWS CLI line `setup` would migrate. */
  readonly profile: string | undefined;
}

/** The helpers git runs for `url`, in order, and what is wrong with that order. */
export async function helperChecks(ctx: GitContext, url: string, place: Place): Promise<HelperFindings> {
  // git-credential-store's files are under git's idea of home: HOME (USERPROFILE on Windows).
  const home = gitHome(ctx.env);
  const helpers = await helpersFor(ctx, url);
  const kinds = helpers.map((h) => classifyHelper(h.value));
  const oursAt = kinds.findIndex((k) => k.kind === "ours");
  const ours = oursAt === -1 ? undefined : (kinds[oursAt] as Extract<HelperKind, { kind: "ours" }>);
  const fixPlace: Place = {
    ...place,
    profile: place.profile ?? ours?.profile ?? kinds.flatMap((k) => (k.kind === "aws-cli" && k.profile ? [k.profile] : []))[0],
  };
  const checks: Check[] = [];
  const list = helpers.length === 0 ? "none" : helpers.map((h) => `"${h.value}" (${h.scope})`).join(", ");
  if (ours) checks.push(ok(`git runs these credential helpers for this URL, in order: ${list}`));
  // The AWS CLI's old line is said once, below, with its own fix.
  else if (!kinds.some((k) => k.kind === "aws-cli"))
    checks.push(fail(`git does not run git-credential-codecommit for this URL; it runs: ${list}`, setupCommand(fixPlace)));

  const { host } = new URL(url);
  helpers.forEach((h, i) => {
    const kind = kinds[i] as HelperKind;
    if (kind.kind === "aws-cli") {
      const instead = ours ? "" : ", instead of git-credential-codecommit";
      checks.push(
        fail(
          `git runs the AWS CLI's old helper line for this URL (${h.scope} config)${instead}: ${h.value}`,
          setupCommand(fixPlace, h.scope),
        ),
      );
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
      checks.push(
        warn(
          `"${h.value}" (${h.scope} config) runs after git-credential-codecommit: git hands it every password (and session token) to keep, though it never needs one`,
          setupCommand(fixPlace, h.scope),
        ),
      );
    }
  });

  // Passwords that credential-store kept: fatal while a store helper still answers first.
  const stores = helpers.filter((_h, i) => kinds[i]?.kind === "storing" && (kinds[i] as { name: string }).name === "store");
  const files = [...new Set([...stores.flatMap((h) => storeFiles(h.value, ctx.env, home)), ...storeFiles(undefined, ctx.env, home)])];
  const storeFirst = helpers.some((h, i) => stores.includes(h) && (oursAt === -1 || i < oursAt));
  for (const entry of storedCodeCommitEntries(files)) {
    const text = `${entry.file} holds a stored CodeCommit password for ${entry.host}`;
    const erase = eraseCommand(`store --file ${shellQuote(entry.file)}`, entry.host);
    checks.push(
      storeFirst
        ? fail(`${text}, which git will replay once it expires (403)`, erase)
        : warn(`${text} (git no longer uses it, but it holds a session token)`, erase),
    );
  }
  return {
    checks,
    ours,
    oursAt: oursAt === -1 ? undefined : helpers[oursAt],
    storing: kinds.some((k) => k.kind === "storing"),
    profile: fixPlace.profile,
  };
}

/**
 * `credential.UseHttpPath` as git resolves it for the URL: without it the signature cannot be made.
 * The fix goes where our helper line is: a global helper gets a global UseHttpPath, for its URL pattern.
 */
export async function useHttpPathCheck(ctx: GitContext, url: string, place: Place, ours: ActiveHelper | undefined): Promise<Check> {
  if ((await urlmatchBool(ctx, "usehttppath", url)) === true) return ok("credential.UseHttpPath is true for this URL");
  const global = ours ? ours.scope === "global" || ours.scope === "system" : !place.inRepository;
  const key = global ? `credential.${ours?.url ?? new URL(url).origin}.UseHttpPath` : "credential.UseHttpPath";
  return fail(
    "credential.UseHttpPath is not true for this URL: git would not send the repository path, which the CodeCommit signature needs",
    `git config${global ? " --global" : ""} ${shellQuote(key)} true`,
  );
}

/** The PATH of an app started from the macOS Dock or a desktop launcher, without a login shell's additions. */
export const SHORT_PATH = "/usr/bin:/bin";

/**
 * Our helper line run as git runs it (`--version` in place of the operation): with git's PATH,
 * and with the short PATH a GUI git has. A bare `codecommit` line needs the program on PATH; the
 * absolute one `setup` writes needs nothing.
 */
export async function helperRunCheck(ctx: GitContext, line: string, place: Place, scope: ActiveHelper["scope"]): Promise<Check> {
  const fix = setupCommand(place, scope);
  const here = await runLine(ctx, line, ctx.env[ENV.path]);
  if (!here.version) return fail(`git cannot run the helper line "${line}"${here.said ? `: ${here.said}` : ""}`, fix);
  const short = await runLine(ctx, line, SHORT_PATH);
  if (!short.version) {
    return fail(
      `a git started from the Dock, the Start menu or an IDE (PATH=${SHORT_PATH}) cannot run the helper line "${line}"${short.said ? `: ${short.said}` : ""}`,
      fix,
    );
  }
  const program = await programOf(ctx, line);
  return ok(`git runs git-credential-codecommit ${here.version}${program ? ` at ${program}` : ""}, also with a GUI's PATH=${SHORT_PATH}`);
}

async function runLine(ctx: GitContext, line: string, path: string | undefined): Promise<{ version?: string; said?: string }> {
  const env = { ...ctx.env, [ENV.path]: path };
  try {
    const r = await ctx.spawn("sh", ["-c", helperCommand(line, "--version")], { env, cwd: ctx.cwd, stdio: "pipe" });
    const version = r.code === 0 ? /^git-credential-codecommit (\S+)/.exec(r.stdout)?.[1] : undefined;
    return version ? { version } : { said: r.stderr.trim().split("\n")[0] ?? "" };
  } catch (err) {
    return { said: String((err as NodeJS.ErrnoException).code ?? err) };
  }
}

/** Which file the line starts: the path it names, or where git finds `git-credential-codecommit`. */
async function programOf(ctx: GitContext, line: string): Promise<string | undefined> {
  const words = shellWords(line.replace(/^!/, ""));
  const named = words.find((w) => /git-credential-codecommit(\.(exe|cjs|js))?$/i.test(w));
  if (named !== undefined && /[\\/]/.test(named)) return named;
  const execPath = (await runGit(ctx, ["--exec-path"])).stdout.trim();
  return findProgram("git-credential-codecommit", [execPath, ...pathDirs(ctx.env[ENV.path])]);
}
