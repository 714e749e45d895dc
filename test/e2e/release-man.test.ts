/**
 * The man page the build writes (dist/git-credential-codecommit.1, from scripts/man-page.ts): man-db
 * renders it, `git help -m credential-codecommit` finds it through MANPATH as it would an installed
 * one, and it says every line `--help` says, for the program and each command.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { helpText, PROGRAM_HELP } from "../../src/help.js";
import { ROOT } from "../support/run-binary.js";

const PAGE = join(ROOT, "dist", "git-credential-codecommit.1");
const dir = mkdtempSync(join(tmpdir(), "gcc-man-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** man-db's environment: no pager, wide lines (so no --help line is broken), UTF-8. */
const manEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: dir,
  LANG: "C.UTF-8",
  MANWIDTH: "200",
  PAGER: "cat",
  MANPAGER: "cat",
  ...extra,
});

/** Lines as a reader sees them: blanks dropped, runs of spaces (indentation, tabs) as one. */
const lines = (text: string): string[] =>
  text
    .split("\n")
    .map((l) => l.replace(/\s+/g, " ").trim())
    .filter((l) => l !== "");

/** True when every line of `wanted` appears in `page`, in the same order. */
function inOrder(wanted: readonly string[], page: readonly string[]): string | undefined {
  let at = 0;
  for (const line of wanted) {
    const found = page.indexOf(line, at);
    if (found < 0) return line;
    at = found + 1;
  }
  return undefined;
}

function render(): string {
  expect(existsSync(PAGE), `${PAGE} is missing: run "npm run build" first`).toBe(true);
  return execFileSync("man", ["-l", PAGE], { env: manEnv(), encoding: "utf8" });
}

describe("the man page", () => {
  it("man -l renders it: name, synopsis, and the commands with help of their own", () => {
    const page = render();
    expect(page).toMatch(/^GIT-CREDENTIAL-CODECOMMIT\(1\) +Git Manual +GIT-CREDENTIAL-CODECOMMIT\(1\)$/m);
    expect(page).toContain("NAME\n       git-credential-codecommit - git credential helper for AWS CodeCommit over HTTPS\n");
    expect(page).toContain(
      "SYNOPSIS\n       git-credential-codecommit [--profile NAME] [--region REGION] [--host NAME]... [--debug] <get|store|erase>\n",
    );
    for (const section of [
      "DESCRIPTION",
      "COMMANDS",
      "   setup",
      "   clone",
      "   doctor",
      "   login",
      "   get, store, erase",
      "SEE ALSO",
    ]) {
      expect(page).toContain(`\n${section}\n`);
    }
  });

  it("says every line of --help, for the program and for each command, as printed (ASCII hyphens and quotes)", () => {
    const page = lines(render());
    // Every command the usage lines name that has a --help of its own, and get (store, erase).
    const named = [...PROGRAM_HELP.matchAll(/^(?:usage:)? +git-credential-codecommit ([a-z-]+)/gm)].map((m) => m[1] as string);
    const commands = [...named, "get"].filter((c) => helpText(c) !== PROGRAM_HELP);
    expect(commands).toEqual(expect.arrayContaining(["setup", "clone", "doctor", "login", "get"]));
    // The program's usage lines are the SYNOPSIS, without their "usage: ".
    expect(inOrder(lines(PROGRAM_HELP.replace(/^usage: /, "")), page), "the first --help line the man page lacks").toBeUndefined();
    for (const command of commands) {
      expect(inOrder(lines(helpText(command)), page), `the first line of ${command} --help the man page lacks`).toBeUndefined();
    }
    // A line the help does not have is missed: the comparison can fail.
    expect(inOrder(["--profile NAME the AWS profile to sign with (default: the AWS CLI's default chain)", "no such line"], page)).toBe(
      "no such line",
    );
  });

  it("git help -m credential-codecommit finds it through MANPATH", () => {
    const man1 = join(dir, "share", "man", "man1");
    mkdirSync(man1, { recursive: true });
    copyFileSync(PAGE, join(man1, "git-credential-codecommit.1"));
    // git help takes a name for a command (and its page for git-<name>(1)) when git-<name> is on
    // PATH, as an installed helper is; otherwise for a guide, git<name>(7).
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    symlinkSync(join(ROOT, "dist", "git-credential-codecommit"), join(bin, "git-credential-codecommit"));
    const installed = { MANPATH: join(dir, "share", "man"), PATH: `${bin}:${process.env.PATH ?? ""}` };
    const found = spawnSync("git", ["help", "-m", "credential-codecommit"], { env: manEnv(installed), encoding: "utf8", timeout: 60_000 });
    expect(found.stderr).toBe("");
    expect(found.stdout).toContain("NAME\n       git-credential-codecommit - git credential helper for AWS CodeCommit over HTTPS\n");
    expect(found.status).toBe(0);
    // Without it on MANPATH, man has nothing to show.
    const missing = spawnSync("git", ["help", "-m", "credential-codecommit"], {
      env: manEnv({ ...installed, MANPATH: join(dir, "nothing") }),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(missing.status).not.toBe(0);
  });
});
