/**
 * `setup` (README, "Per repository: `clone` and `setup`") through the built binary and real git, in
 * temporary HOMEs and repositories: the exact config it writes, idempotence, the migration of the
 * AWS CLI's helper line, and the --global scoping that leaves other hosts' helpers alone.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { bareToolsPath } from "../support/tools-path.js";
import { BINARY, NODE_BIN } from "../support/run-binary.js";
import { auditPrinted } from "../support/secret-audit.js";

const worlds: IsolatedEnv[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.cleanup();
});

function world(): IsolatedEnv {
  const w = isolatedEnv();
  // What setup writes and notes depends on what PATH finds: never a copy the caller installed.
  w.env.PATH = bareToolsPath(w);
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
        `  credential.helper = ${BINARY} --profile dev`,
        "  credential.UseHttpPath = true",
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(readFileSync(join(dir, ".git", "config"), "utf8")).toBe(
      `${INIT_CONFIG}[credential]\n\thelper = \n\thelper = ${BINARY} --profile dev\n\tUseHttpPath = true\n`,
    );
  });

  it("is idempotent: the second run changes nothing and says so", () => {
    const w = world();
    const dir = repo(w);
    expect(helper(w, dir, ["setup", "--profile", "dev", "--region", "eu-west-1"]).code).toBe(0);
    const once = readFileSync(join(dir, ".git", "config"), "utf8");
    expect(once).toBe(
      `${INIT_CONFIG}[credential]\n\thelper = \n\thelper = ${BINARY} --profile dev --region eu-west-1\n\tUseHttpPath = true\n`,
    );
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
    expect(git(w, dir, ["config", "--get-all", "credential.helper"])).toBe(`\n${BINARY} --profile 'my dev'\n`);
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
        `  credential.helper = ${BINARY} --profile x`,
        "  replaced credential.helper = !aws codecommit credential-helper --profile x $@",
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(readFileSync(join(dir, ".git", "config"), "utf8")).toBe(
      `${INIT_CONFIG}[credential]\n\tUseHttpPath = true\n\thelper = \n\thelper = ${BINARY} --profile x\n`,
    );
    expect(helper(w, dir, ["setup"]).stdout).toBe(`${dir}/.git/config is already set up for CodeCommit; nothing changed.\n`);
  });

  it("notes what doctor would flag: a password store kept from before, and a storing helper git still runs after ours", () => {
    const w = world();
    const dir = repo(w);
    git(w, dir, ["config", "credential.helper", "store"]);
    writeFileSync(
      join(w.home, ".git-credentials"),
      "https://AKIAEXPIREDSTORED0001:20240101T000000Zdeadbeef@git-codecommit.eu-west-1.amazonaws.com\n",
    );
    // Read after the repository's file: git -c, as an alias or a wrapper passes it.
    const env = { ...w.env, GIT_CONFIG_PARAMETERS: "'credential.helper'='cache'" };
    const r = spawnSync(BINARY, ["setup", "--profile", "dev"], { cwd: dir, env, encoding: "utf8" });
    expect(r.stdout.split("\n").slice(-3)).toEqual([
      `note: ${w.home}/.git-credentials still holds a CodeCommit password for git-codecommit.eu-west-1.amazonaws.com, which git would replay once expired; ${BINARY} doctor --fix erases it`,
      'note: "cache" (command config) runs after git-credential-codecommit, so git still hands it every password to keep; remove it from that config',
      "",
    ]);
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
          `  credential.${p}.helper = ${BINARY} --profile dev`,
          `  credential.${p}.UseHttpPath = true`,
        ]),
        // What doctor would flag: the keychain setup's reset now hides may hold an old password.
        `note: "osxkeychain" may still hold a CodeCommit password from before, which git would replay once expired; ${BINARY} doctor --fix https://git-codecommit.<region>.amazonaws.com/v1/repos/<name> erases it`,
        "",
      ].join("\n"),
    );
    expect(readFileSync(global, "utf8")).toBe(
      before + PATTERNS.map((p) => `[credential "${p}"]\n\thelper = \n\thelper = ${BINARY} --profile dev\n\tUseHttpPath = true\n`).join(""),
    );

    // git's own answer for each URL: the last helper and UseHttpPath that apply.
    for (const url of CODECOMMIT_URLS) {
      expect(git(w, w.dir, ["config", "--get-urlmatch", "credential", url]), url).toBe(
        `credential.helper ${BINARY} --profile dev\ncredential.usehttppath true\n`,
      );
    }
    expect(git(w, w.dir, ["config", "--get-urlmatch", "credential", "https://github.com/owner/repo"])).toBe("credential.helper store\n");
    expect(git(w, w.dir, ["config", "--get-urlmatch", "credential", "https://gitlab.example/owner/repo"])).toBe(
      "credential.helper osxkeychain\n",
    );

    expect(helper(w, w.dir, ["setup", "--global", "--profile", "dev"]).stdout).toBe(
      `${global} is already set up for CodeCommit; nothing changed.\n${r.stdout.slice(r.stdout.indexOf("note: "))}`,
    );
    expect(readFileSync(global, "utf8")).toBe(
      before + PATTERNS.map((p) => `[credential "${p}"]\n\thelper = \n\thelper = ${BINARY} --profile dev\n\tUseHttpPath = true\n`).join(""),
    );
  });

  it("migrates a global !aws --profile x codecommit credential-helper line and leaves GitHub alone", () => {
    const w = world();
    const global = w.env.GIT_CONFIG_GLOBAL as string;
    writeFileSync(
      global,
      '[credential]\n\thelper = !aws --profile x codecommit credential-helper $@\n\tUseHttpPath = true\n[credential "https://github.com"]\n\thelper = store\n',
    );
    const r = helper(w, w.dir, ["setup", "--global"]);
    expect(r.code).toBe(0);
    // The AWS CLI recipe's unscoped UseHttpPath goes with its line: no old lines are left behind.
    expect(r.stdout.split("\n").slice(-3)).toEqual([
      "  removed credential.helper = !aws --profile x codecommit credential-helper $@",
      "  removed credential.UseHttpPath (set for the AWS CLI's line)",
      "",
    ]);
    expect(readFileSync(global, "utf8")).toBe(
      '[credential "https://github.com"]\n\thelper = store\n' +
        PATTERNS.map((p) => `[credential "${p}"]\n\thelper = \n\thelper = ${BINARY} --profile x\n\tUseHttpPath = true\n`).join(""),
    );
    expect(git(w, w.dir, ["config", "--get-urlmatch", "credential.helper", "https://github.com/owner/repo"])).toBe("store\n");
    expect(helper(w, w.dir, ["setup", "--global"]).stdout).toBe(`${global} is already set up for CodeCommit; nothing changed.\n`);
  });
});

describe("setup --remove", () => {
  it("undoes setup --global: the file is as before, GitHub's helper kept; a second run changes nothing", () => {
    const w = world();
    const global = w.env.GIT_CONFIG_GLOBAL as string;
    const before = '[credential "https://github.com"]\n\thelper = store\n';
    writeFileSync(global, before);
    expect(helper(w, w.dir, ["setup", "--global", "--profile", "dev"]).code).toBe(0);
    const r = helper(w, w.dir, ["setup", "--global", "--remove"]);
    expect(r).toEqual({
      code: 0,
      stdout: [
        `Updated ${global}:`,
        ...PATTERNS.flatMap((p) => [
          `  removed credential.${p}.helper = `,
          `  removed credential.${p}.helper = ${BINARY} --profile dev`,
          `  removed credential.${p}.UseHttpPath`,
        ]),
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(readFileSync(global, "utf8")).toBe(before);
    expect(helper(w, w.dir, ["setup", "--global", "--remove"]).stdout).toBe(
      `${global} has no git-credential-codecommit setup; nothing changed.\n`,
    );
  });

  it("in a repository: removes our lines, keeps a helper of someone else's in the same section", () => {
    const w = world();
    const dir = repo(w);
    git(w, dir, ["config", "credential.helper", "codecommit --profile old"]);
    git(w, dir, ["config", "--add", "credential.helper", "cache"]);
    git(w, dir, ["config", "credential.UseHttpPath", "true"]);
    const r = helper(w, dir, ["setup", "--remove"]);
    expect(r.stdout).toBe(
      `Updated ${dir}/.git/config:\n  removed credential.helper = codecommit --profile old\n  removed credential.UseHttpPath\n`,
    );
    expect(git(w, dir, ["config", "--get-all", "credential.helper"])).toBe("cache\n");
  });
});

describe("the helper line git runs without PATH", () => {
  const fill = "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/demo\n\n";
  const creds = "[profile dev]\naws_access_key_id = AKIASETUPEXAMPLE0001\naws_secret_access_key = setup-secret-0123456789\n";

  /** `git credential fill` as a GUI git started from the Dock runs it: PATH=/usr/bin:/bin only. */
  function fillWithShortPath(w: IsolatedEnv, dir: string): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync("git", ["credential", "fill"], {
      cwd: dir,
      env: { ...w.env, PATH: "/usr/bin:/bin" },
      input: fill,
      encoding: "utf8",
      timeout: 30_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  for (const place of ["dist", "a directory with a space"]) {
    it(`after setup, git credential fill with PATH=/usr/bin:/bin gets the password (binary in ${place})`, () => {
      const w = world();
      w.writeConfig(creds);
      let program = BINARY;
      if (place !== "dist") {
        program = join(w.dir, "my tools", "git-credential-codecommit");
        mkdirSync(dirname(program));
        copyFileSync(BINARY, program);
        chmodSync(program, 0o755);
      }
      expect(existsSync(join("/usr/bin", "git-credential-codecommit"))).toBe(false);
      const dir = repo(w);
      // Started by name from PATH, as a person types it: the line names where PATH found it.
      const r = spawnSync("git-credential-codecommit", ["setup", "--profile", "dev"], {
        cwd: dir,
        env: { ...w.env, PATH: `${dirname(program)}:${w.env.PATH}` },
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
      const line = place === "dist" ? `${program} --profile dev` : `!'${program}' --profile dev`;
      expect(git(w, dir, ["config", "--get-all", "credential.helper"])).toBe(`\n${line}\n`);
      const got = fillWithShortPath(w, dir);
      expect(got.stderr).toBe("");
      expect(got.code).toBe(0);
      expect(got.stdout).toMatch(
        /^protocol=https\nhost=git-codecommit\.eu-west-1\.amazonaws\.com\npath=v1\/repos\/demo\nusername=AKIASETUPEXAMPLE0001\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\n$/,
      );
    });
  }

  it("started through a link, the line names the link (an upgrade that moves the target keeps it working), and is idempotent", () => {
    const w = world();
    const link = join(w.dir, "bin", "git-credential-codecommit");
    mkdirSync(dirname(link));
    symlinkSync(BINARY, link);
    const dir = repo(w);
    const r = spawnSync(link, ["setup"], { cwd: dir, env: w.env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(git(w, dir, ["config", "--get-all", "credential.helper"])).toBe(`\n${link}\n`);
    expect(spawnSync(link, ["setup"], { cwd: dir, env: w.env, encoding: "utf8" }).stdout).toBe(
      `${dir}/.git/config is already set up for CodeCommit; nothing changed.\n`,
    );
  });

  it("the npm bin under node: node's absolute path and the script's, so #!/usr/bin/env node is not needed on PATH", () => {
    const w = world();
    w.writeConfig(creds);
    const dir = repo(w);
    const r = spawnSync(process.execPath, [NODE_BIN, "setup", "--profile", "dev"], { cwd: dir, env: w.env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(git(w, dir, ["config", "--get-all", "credential.helper"])).toBe(`\n${process.execPath} ${NODE_BIN} --profile dev\n`);
    const got = fillWithShortPath(w, dir);
    expect(got.stderr).toBe("");
    expect(got.stdout).toMatch(/\nusername=AKIASETUPEXAMPLE0001\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\n$/);
  });

  it("migrates a bare codecommit line of an earlier version to the absolute one, keeping --profile and --region", () => {
    const w = world();
    const dir = repo(w);
    git(w, dir, ["config", "credential.helper", ""]);
    git(w, dir, ["config", "--add", "credential.helper", "codecommit --profile dev --region eu-west-1"]);
    const r = helper(w, dir, ["setup"]);
    expect(r.stdout).toBe(
      [
        `Updated ${dir}/.git/config:`,
        `  credential.helper = ${EMPTY_NOTE}`,
        `  credential.helper = ${BINARY} --profile dev --region eu-west-1`,
        "  replaced credential.helper = codecommit --profile dev --region eu-west-1",
        "  credential.UseHttpPath = true",
        "",
      ].join("\n"),
    );
  });
});
