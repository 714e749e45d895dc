/**
 * `setup` (contract §9) through the built binary and real git, in temporary HOMEs and repositories:
 * the exact config it writes, idempotence, the migration of the AWS CLI's helper line, and the
 * --global scoping that leaves other hosts' helpers alone.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { BINARY } from "../support/run-binary.js";
import { auditPrinted } from "../support/secret-audit.js";

const worlds: IsolatedEnv[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function world(): IsolatedEnv {
  const w = isolatedEnv();
  worlds.push(w);
  return w;
}

/** Runs the helper in `cwd`; stdin is /dev/null, as from a script. */
function helper(w: IsolatedEnv, cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(BINARY, args, { cwd, env: w.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
  auditPrinted(r, { env: w.env, label: `helper ${args.join(" ")}` });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(w: IsolatedEnv, cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, env: w.env, encoding: "utf8" });
}

/** A fresh repository with only `git init`'s config. */
function repo(w: IsolatedEnv): string {
  const dir = join(w.dir, "repo");
  mkdirSync(dir);
  git(w, dir, ["init", "-q"]);
  return dir;
}

const INIT_CONFIG = readInitConfig();
function readInitConfig(): string {
  const w = world();
  const text = readFileSync(join(repo(w), ".git", "config"), "utf8");
  w.cleanup();
  return text;
}

const EMPTY_NOTE = "(empty: drops the helpers set before it, which would store the 15-minute password)";

describe("setup in a repository", () => {
  it("writes the empty reset, our helper and UseHttpPath in .git/config, and says so", () => {
    const w = world();
    const dir = repo(w);
    const r = helper(w, dir, ["setup", "--profile", "dev"]);
    expect(r).toEqual({
      code: 0,
      stdout: [
        `Updated ${dir}/.git/config:`,
        `  credential.helper = ${EMPTY_NOTE}`,
        "  credential.helper = codecommit --profile dev",
        "  credential.UseHttpPath = true",
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(readFileSync(join(dir, ".git", "config"), "utf8")).toBe(
      `${INIT_CONFIG}[credential]\n\thelper = \n\thelper = codecommit --profile dev\n\tUseHttpPath = true\n`,
    );
  });

  it("is idempotent: the second run changes nothing and says so", () => {
    const w = world();
    const dir = repo(w);
    expect(helper(w, dir, ["setup", "--profile", "dev", "--region", "eu-west-1"]).code).toBe(0);
    const once = readFileSync(join(dir, ".git", "config"), "utf8");
    expect(once).toBe(`${INIT_CONFIG}[credential]\n\thelper = \n\thelper = codecommit --profile dev --region eu-west-1\n\tUseHttpPath = true\n`);
    expect(helper(w, dir, ["setup", "--profile", "dev", "--region", "eu-west-1"])).toEqual({
      code: 0,
      stdout: `${dir}/.git/config is already set up for CodeCommit; nothing changed.\n`,
      stderr: "",
    });
    expect(readFileSync(join(dir, ".git", "config"), "utf8")).toBe(once);
  });

  it("works from a subdirectory and quotes a profile name with a space for git's shell", () => {
    const w = world();
    const dir = repo(w);
    const sub = join(dir, "a", "b");
    mkdirSync(sub, { recursive: true });
    expect(helper(w, sub, ["setup", "--profile", "my dev"]).code).toBe(0);
    expect(git(w, dir, ["config", "--get-all", "credential.helper"])).toBe("\ncodecommit --profile 'my dev'\n");
  });

  it("migrates an !aws codecommit credential-helper line, keeping its profile", () => {
    const w = world();
    const dir = repo(w);
    git(w, dir, ["config", "credential.helper", "!aws codecommit credential-helper --profile x $@"]);
    git(w, dir, ["config", "credential.UseHttpPath", "true"]);
    const r = helper(w, dir, ["setup"]);
    expect(r).toEqual({
      code: 0,
      stdout: [
        `Updated ${dir}/.git/config:`,
        `  credential.helper = ${EMPTY_NOTE}`,
        "  credential.helper = codecommit --profile x",
        "  replaced credential.helper = !aws codecommit credential-helper --profile x $@",
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(readFileSync(join(dir, ".git", "config"), "utf8")).toBe(`${INIT_CONFIG}[credential]\n\tUseHttpPath = true\n\thelper = \n\thelper = codecommit --profile x\n`);
    expect(helper(w, dir, ["setup"]).stdout).toBe(`${dir}/.git/config is already set up for CodeCommit; nothing changed.\n`);
  });

  it("refuses clearly outside a repository and writes nothing", () => {
    const w = world();
    const r = helper(w, w.dir, ["setup"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: `git-credential-codecommit: ${w.dir} is not inside a git repository, so there is no .git/config to set up. Run it inside a clone, use git-credential-codecommit clone to make one, or run git-credential-codecommit setup --global for every CodeCommit URL\n`,
    });
    expect(readFileSync(w.env.GIT_CONFIG_GLOBAL as string, "utf8")).toBe("");
  });

  it("refuses extra words", () => {
    const w = world();
    expect(helper(w, repo(w), ["setup", "now"])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'git-credential-codecommit: setup takes no other arguments (got "now"). Run git-credential-codecommit setup --help\n',
    });
  });
});

const PATTERNS = [
  "https://git-codecommit.*.amazonaws.com",
  "https://git-codecommit-fips.*.amazonaws.com",
  "https://git-codecommit.*.amazonaws.com.cn",
  "https://*.git-codecommit.*.vpce.amazonaws.com",
];
const CODECOMMIT_URLS = [
  "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo",
  "https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/demo",
  "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo",
  "https://vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/demo",
];

describe("setup --global", () => {
  it("scopes the settings to CodeCommit URLs: GitHub keeps its helper", () => {
    const w = world();
    const global = w.env.GIT_CONFIG_GLOBAL as string;
    const before = '[credential "https://github.com"]\n\thelper = store\n[credential]\n\thelper = osxkeychain\n';
    writeFileSync(global, before);
    const r = helper(w, w.dir, ["setup", "--global", "--profile", "dev"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        `Updated ${global}:`,
        ...PATTERNS.flatMap((p, i) => [
          `  credential.${p}.helper = ${i === 0 ? EMPTY_NOTE : "(empty)"}`,
          `  credential.${p}.helper = codecommit --profile dev`,
          `  credential.${p}.UseHttpPath = true`,
        ]),
        "",
      ].join("\n"),
    );
    expect(readFileSync(global, "utf8")).toBe(before + PATTERNS.map((p) => `[credential "${p}"]\n\thelper = \n\thelper = codecommit --profile dev\n\tUseHttpPath = true\n`).join(""));

    // git's own answer for each URL: the last helper and UseHttpPath that apply.
    for (const url of CODECOMMIT_URLS) {
      expect(git(w, w.dir, ["config", "--get-urlmatch", "credential", url]), url).toBe("credential.helper codecommit --profile dev\ncredential.usehttppath true\n");
    }
    expect(git(w, w.dir, ["config", "--get-urlmatch", "credential", "https://github.com/owner/repo"])).toBe("credential.helper store\n");
    expect(git(w, w.dir, ["config", "--get-urlmatch", "credential", "https://gitlab.example/owner/repo"])).toBe("credential.helper osxkeychain\n");

    expect(helper(w, w.dir, ["setup", "--global", "--profile", "dev"]).stdout).toBe(`${global} is already set up for CodeCommit; nothing changed.\n`);
    expect(readFileSync(global, "utf8")).toBe(before + PATTERNS.map((p) => `[credential "${p}"]\n\thelper = \n\thelper = codecommit --profile dev\n\tUseHttpPath = true\n`).join(""));
  });

  it("migrates a global !aws --profile x codecommit credential-helper line and leaves GitHub alone", () => {
    const w = world();
    const global = w.env.GIT_CONFIG_GLOBAL as string;
    writeFileSync(global, '[credential]\n\thelper = !aws --profile x codecommit credential-helper $@\n\tUseHttpPath = true\n[credential "https://github.com"]\n\thelper = store\n');
    const r = helper(w, w.dir, ["setup", "--global"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(-2)).toEqual(["  removed credential.helper = !aws --profile x codecommit credential-helper $@", ""]);
    expect(readFileSync(global, "utf8")).toBe(
      '[credential]\n\tUseHttpPath = true\n[credential "https://github.com"]\n\thelper = store\n' +
        PATTERNS.map((p) => `[credential "${p}"]\n\thelper = \n\thelper = codecommit --profile x\n\tUseHttpPath = true\n`).join(""),
    );
    expect(git(w, w.dir, ["config", "--get-urlmatch", "credential.helper", "https://github.com/owner/repo"])).toBe("store\n");
    expect(helper(w, w.dir, ["setup", "--global"]).stdout).toBe(`${global} is already set up for CodeCommit; nothing changed.\n`);
  });
});
