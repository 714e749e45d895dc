/**
 * What `setup [--profile P] [--region R] [--global]` writes (README: setup): makes git use this helper, in the
 * current repository's .git/config, or in ~/.gitconfig for CodeCommit URLs only. Writes an empty
 * `helper` first (it clears helpers configured before, such as osxkeychain or `store`, which would
 * keep the 15-minute password and replay it after it expired: 403), then ours, then
 * `UseHttpPath = true`. Replaces the AWS CLI's `!aws codecommit credential-helper $@` line, keeping
 * its profile; without --profile an existing line's profile is kept too, so running it again
 * changes nothing.
 */
import { HelperError } from "../errors.js";
import { CODECOMMIT_URL_PATTERNS, credentialKey } from "./codecommit-scope.js";
import { credentialEntries, type CredentialEntry, type WriteScope } from "./credential-config.js";
import { classifyHelper, helperLine, type HelperKind } from "./helper-line.js";
import { gitOutput, runGit, type GitContext } from "./run-git.js";

/** `setup`'s options. */
export interface SetupOptions {
  readonly profile: string | undefined;
  readonly region: string | undefined;
  readonly global: boolean;
  /** This program's start command, written by absolute path (self-command.ts); absent: the bare name. */
  readonly program?: readonly string[];
  /** `--remove`: take this program's setup out again instead. */
  readonly remove?: boolean;
}

/** One change to the config file: what git config does, and the line that tells the user. */
export type SetupChange =
  | { readonly op: "helpers"; readonly url: string | undefined; readonly values: readonly string[]; readonly replaced: readonly string[] }
  | { readonly op: "usehttppath"; readonly url: string | undefined }
  | { readonly op: "remove"; readonly url: string | undefined; readonly value: string }
  /** An unscoped or CodeCommit-scoped UseHttpPath that only the AWS CLI's removed line needed. */
  | { readonly op: "remove-usehttppath"; readonly url: string | undefined; readonly wholeSection: boolean }
  /** `setup --remove`: our lines go, the section too when nothing else is left in it. */
  | {
      readonly op: "undo";
      readonly url: string | undefined;
      readonly removed: readonly string[];
      readonly kept: readonly string[];
      readonly useHttpPath: boolean;
      readonly wholeSection: boolean;
    };

/**
 * What must change in one config file (its `credential.*` entries given) for the setup asked for.
 * Pure: the same entries and options always give the same plan; a file already set up gives none.
 */
export function planSetup(entries: readonly CredentialEntry[], options: SetupOptions): SetupChange[] {
  const sections: ReadonlyArray<string | undefined> = options.global ? CODECOMMIT_URL_PATTERNS : [undefined];
  // The AWS CLI's helper line in this scope: anywhere in a repository's file; in the global file
  // unscoped or scoped to a CodeCommit URL (elsewhere it is someone else's business).
  const awsLines = entries.filter(
    (e) =>
      e.name === "helper" &&
      classifyHelper(e.value).kind === "aws-cli" &&
      (!options.global || e.url === undefined || e.url.includes("git-codecommit")),
  );
  // Without --profile, keep the profile of the line being replaced (the AWS CLI's, or ours from an
  // earlier run), so a second `setup` changes nothing; likewise --region of our own line.
  const existing = [...entries.filter((e) => e.name === "helper" && sections.includes(e.url)), ...awsLines].map((e) =>
    classifyOwn(e.value, options.program),
  );
  const kept = (key: "profile" | "region"): string | undefined =>
    existing.flatMap((k) =>
      (k.kind === "ours" || (k.kind === "aws-cli" && key === "profile")) && k[key] !== undefined ? [k[key]] : [],
    )[0];
  const ours = helperLine(options.profile ?? kept("profile"), options.region ?? kept("region"), undefined, options.program);
  const wanted = ["", ours];

  const changes: SetupChange[] = [];
  for (const url of sections) {
    const mine = entries.filter((e) => e.url === url);
    const helpers = mine.filter((e) => e.name === "helper").map((e) => e.value);
    if (helpers.length !== wanted.length || helpers.some((v, i) => v !== wanted[i])) {
      changes.push({ op: "helpers", url, values: wanted, replaced: helpers.filter((v) => !wanted.includes(v)) });
    }
    if (mine.filter((e) => e.name === "usehttppath").pop()?.value !== "true") changes.push({ op: "usehttppath", url });
  }
  for (const e of awsLines) {
    if (sections.includes(e.url)) continue;
    changes.push({ op: "remove", url: e.url, value: e.value });
    // The AWS CLI's recipe set UseHttpPath beside its line; left alone, an unscoped one would send
    // every other host's repository path to its helpers too.
    const others = entries.filter((o) => o.url === e.url && o.name === "helper" && !awsLines.includes(o));
    if (
      others.length === 0 &&
      entries.some((o) => o.url === e.url && o.name === "usehttppath") &&
      !changes.some((c) => c.op === "remove-usehttppath" && c.url === e.url)
    ) {
      // Nothing else in that section: it goes as a whole, leaving no empty header behind.
      const wholeSection = entries.every((o) => o.url !== e.url || awsLines.includes(o) || o.name === "usehttppath");
      changes.push({ op: "remove-usehttppath", url: e.url, wholeSection });
    }
  }
  return changes;
}

/**
 * What `setup --remove` takes out of one config file: in each section `setup` writes, our helper
 * lines, the empty reset before them and UseHttpPath — only in a section that has a line of ours.
 */
export function planRemove(entries: readonly CredentialEntry[], options: Pick<SetupOptions, "global" | "program">): SetupChange[] {
  const sections: ReadonlyArray<string | undefined> = options.global ? CODECOMMIT_URL_PATTERNS : [undefined];
  const changes: SetupChange[] = [];
  for (const url of sections) {
    const mine = entries.filter((e) => e.url === url);
    const helpers = mine.filter((e) => e.name === "helper").map((e) => e.value);
    if (!helpers.some((v) => classifyOwn(v, options.program).kind === "ours")) continue;
    const removed = helpers.filter((v) => v === "" || classifyOwn(v, options.program).kind === "ours");
    const kept = helpers.filter((v) => !removed.includes(v));
    const useHttpPath = mine.some((e) => e.name === "usehttppath");
    const wholeSection = kept.length === 0 && mine.every((e) => e.name === "helper" || e.name === "usehttppath");
    changes.push({ op: "undo", url, removed, kept, useHttpPath, wholeSection });
  }
  return changes;
}

/**
 * classifyHelper, also knowing this program's own start command: started through a link of
 * another name, the line written names that link, and a second run must still see it as ours.
 */
function classifyOwn(value: string, program: readonly string[] | undefined): HelperKind {
  const own = program === undefined ? undefined : helperLine(undefined, undefined, undefined, program);
  if (own !== undefined && (value === own || value.startsWith(`${own} `))) return classifyHelper(`codecommit${value.slice(own.length)}`);
  return classifyHelper(value);
}

/** What `setup` prints for a plan: one line per setting written or removed. */
export function describeChanges(file: string, changes: readonly SetupChange[]): string {
  if (changes.length === 0) return `${file} is already set up for CodeCommit; nothing changed.\n`;
  const lines = [`Updated ${file}:`];
  let explained = false;
  for (const c of changes) {
    if (c.op === "helpers") {
      const key = credentialKey(c.url, "helper");
      lines.push(
        `  ${key} = ${explained ? "(empty)" : "(empty: drops the helpers set before it, which would store the 15-minute password)"}`,
      );
      explained = true;
      lines.push(`  ${key} = ${c.values[1]}`);
      for (const old of c.replaced) lines.push(`  replaced ${key} = ${old}`);
    } else if (c.op === "usehttppath") {
      lines.push(`  ${credentialKey(c.url, "UseHttpPath")} = true`);
    } else if (c.op === "remove") {
      lines.push(`  removed ${credentialKey(c.url, "helper")} = ${c.value}`);
    } else if (c.op === "remove-usehttppath") {
      lines.push(`  removed ${credentialKey(c.url, "UseHttpPath")} (set for the AWS CLI's line)`);
    } else {
      for (const value of c.removed) lines.push(`  removed ${credentialKey(c.url, "helper")} = ${value}`);
      if (c.useHttpPath) lines.push(`  removed ${credentialKey(c.url, "UseHttpPath")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Runs `setup`: reads the file's entries, writes what the plan says, returns what to print. */
export async function setup(options: SetupOptions, ctx: GitContext): Promise<string> {
  const scope: WriteScope = options.global ? "global" : "local";
  const file = options.global ? undefined : await repositoryConfigFile(ctx);
  const entries = await credentialEntries(ctx, scope);
  const changes = options.remove ? planRemove(entries, options) : planSetup(entries, options);
  const flag = `--${scope}`;
  for (const c of changes) {
    if (c.op === "helpers") {
      const key = credentialKey(c.url, "helper");
      await unsetAll(ctx, flag, key);
      for (const value of c.values) await gitOutput(ctx, ["config", flag, "--add", key, value]);
    } else if (c.op === "usehttppath") {
      await gitOutput(ctx, ["config", flag, "--replace-all", credentialKey(c.url, "UseHttpPath"), "true"]);
    } else if (c.op === "remove") {
      await gitOutput(ctx, ["config", flag, "--fixed-value", "--unset-all", credentialKey(c.url, "helper"), c.value]);
    } else if (c.op === "remove-usehttppath") {
      if (c.wholeSection) await runGit(ctx, ["config", flag, "--remove-section", sectionName(c.url)]);
      else await unsetAll(ctx, flag, credentialKey(c.url, "UseHttpPath"));
    } else if (c.wholeSection) {
      await gitOutput(ctx, ["config", flag, "--remove-section", sectionName(c.url)]);
    } else {
      await unsetAll(ctx, flag, credentialKey(c.url, "helper"));
      for (const value of c.kept) await gitOutput(ctx, ["config", flag, "--add", credentialKey(c.url, "helper"), value]);
      if (c.useHttpPath) await unsetAll(ctx, flag, credentialKey(c.url, "UseHttpPath"));
    }
  }
  if (options.remove && changes.length === 0)
    return `${file ?? (await globalConfigFile(ctx))} has no git-credential-codecommit setup; nothing changed.\n`;
  return describeChanges(file ?? (await globalConfigFile(ctx)), changes);
}

/** The config section `credential` or `credential.<url>`, for --remove-section. */
function sectionName(url: string | undefined): string {
  return url === undefined ? "credential" : `credential.${url}`;
}

/** `git config --unset-all key`; exit 5 means there was nothing to unset, which is fine. */
async function unsetAll(ctx: GitContext, flag: string, key: string): Promise<void> {
  const r = await runGit(ctx, ["config", flag, "--unset-all", key]);
  if (r.code !== 0 && r.code !== 5) await gitOutput(ctx, ["config", flag, "--unset-all", key]);
}

/** The repository's config file, or the "not a repository" error. */
async function repositoryConfigFile(ctx: GitContext): Promise<string> {
  const r = await runGit(ctx, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  if (r.code !== 0) {
    throw new HelperError(
      "usage",
      `${ctx.cwd} is not inside a git repository, so there is no .git/config to set up`,
      "Run it inside a clone, use git-credential-codecommit clone to make one, or run git-credential-codecommit setup --global for every CodeCommit URL",
    );
  }
  return `${r.stdout.trim()}/config`;
}

/** The file `git config --global` wrote to, as git reports it (GIT_CONFIG_GLOBAL, ~/.gitconfig or the XDG one). */
async function globalConfigFile(ctx: GitContext): Promise<string> {
  const r = await runGit(ctx, ["config", "--global", "--null", "--show-origin", "--get-regexp", "^credential\\."]);
  const origin = r.stdout.split("\0")[0] ?? "";
  return origin.startsWith("file:") ? origin.slice("file:".length) : "your global git config";
}
