/**
 * `clone` (README, "Per repository: `clone` and `setup`") end to end: every <repository> form,
 * through the built binary and real git, against the local CodeCommit-compatible HTTPS server; then
 * `git pull` and `git push` in each clone with no further flags. The real endpoint names are mapped
 * to the server with git settings in the environment (GIT_CONFIG_COUNT): curl's resolve list and
 * the test CA, and an insteadOf that adds the server's port to the port-less URLs `clone` builds
 * from a name.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "../support/git-server.js";
import { bareToolsPath } from "../support/tools-path.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { expectNoSecrets } from "../support/no-secrets.js";
import { BINARY } from "../support/run-binary.js";
import { audited } from "../support/secret-audit.js";

const KEY_ID = "AKIACLONEEXAMPLE0001";
const SECRET = "clone-secret-0123456789abcdef";
/** A VPC endpoint's name, as CODE_COMMIT_ENDPOINT gives it (the server signs for the region in it). */
const CUSTOM_HOST = "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com";
const HOSTS = [
  "git-codecommit.us-east-1.amazonaws.com",
  "git-codecommit.eu-west-1.amazonaws.com",
  "git-codecommit.cn-north-1.amazonaws.com.cn",
  "git-codecommit-fips.us-east-1.amazonaws.com",
  CUSTOM_HOST,
];

let world: IsolatedEnv;
let server: GitServer;
let env: Record<string, string>;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the helper, or git that runs it, and audits what it printed (secret-audit.ts). */
function run(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<Result> {
  return audited({ env: { ...env, ...extraEnv }, peers: [server], label: `${cmd} ${args.join(" ")}` }, () =>
    spawnResult(cmd, args, cwd, extraEnv),
  );
}

function spawnResult(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const helper = (args: string[], cwd = world.dir, extraEnv: Record<string, string> = {}) => run(BINARY, args, cwd, extraEnv);
const git = (args: string[], cwd: string) => run("git", args, cwd);

beforeAll(async () => {
  world = isolatedEnv();
  server = await startGitServer({
    root: join(world.dir, "repos"),
    secretFor: (k) => (k === KEY_ID ? SECRET : undefined),
    hostnames: HOSTS,
  });
  server.createRepo("demo");
  world.writeConfig(
    ["[profile dev]", `aws_access_key_id = ${KEY_ID}`, `aws_secret_access_key = ${SECRET}`, "region = cn-north-1", ""].join("\n"),
  );
  const net = server.gitConfigEnv();
  const count = Number(net.GIT_CONFIG_COUNT);
  const insteadOf: Record<string, string> = {};
  HOSTS.forEach((h, i) => {
    insteadOf[`GIT_CONFIG_KEY_${count + i}`] = `url.https://${h}:${server.port}/.insteadOf`;
    insteadOf[`GIT_CONFIG_VALUE_${count + i}`] = `https://${h}/`;
  });
  env = {
    ...world.env,
    ...net,
    ...insteadOf,
    GIT_CONFIG_COUNT: String(count + HOSTS.length),
    // Not on PATH (nor a copy the caller installed): clone writes the helper by its absolute path, which pull and push then run.
    PATH: bareToolsPath(world),
  };
  // A first commit, pushed straight into the bare repository, so every clone has a branch to track.
  const seed = join(world.dir, "seed");
  execFileSync("git", ["init", "-q", "-b", "main", seed], { env: world.env });
  writeFileSync(join(seed, "README"), "seed\n");
  execFileSync("git", ["add", "README"], { cwd: seed, env: world.env });
  execFileSync("git", ["commit", "-q", "-m", "seed"], { cwd: seed, env: world.env });
  execFileSync("git", ["push", "-q", server.repoDir("demo"), "HEAD:main"], { cwd: seed, env: world.env });
});

afterAll(async () => {
  await server?.close();
  world?.cleanup();
});

/** `env` is set for the clone only: what it chose must be in the clone's config for pull and push. */
const CASES: ReadonlyArray<{ name: string; args: string[]; dir: string; url: string; helper: string; env?: Record<string, string> }> = [
  {
    name: "a repository name, the region from --region",
    args: ["clone", "--profile", "dev", "--region", "eu-west-1", "demo", "by-name"],
    dir: "by-name",
    url: "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo",
    helper: `${BINARY} --profile dev --region eu-west-1`,
  },
  {
    name: "an https CodeCommit URL",
    args: ["clone", "--profile", "dev", "", "by-url"],
    dir: "by-url",
    url: "", // set below: the server's URL with its port
    helper: `${BINARY} --profile dev`,
  },
  {
    name: "codecommit::<region>://<profile>@<repo>",
    args: ["clone", "codecommit::us-east-1://dev@demo", "by-grc-region"],
    dir: "by-grc-region",
    url: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo",
    helper: `${BINARY} --profile dev`,
  },
  {
    name: "codecommit://<profile>@<repo>, the region (China) from the profile",
    args: ["clone", "codecommit://dev@demo", "by-grc"],
    dir: "by-grc",
    url: "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo",
    helper: `${BINARY} --profile dev`,
  },
  {
    name: "codecommit::<region>://... with AWS_USE_FIPS_ENDPOINT=true: the FIPS host, as the remote helper chooses",
    args: ["clone", "codecommit::us-east-1://dev@demo", "by-grc-fips"],
    dir: "by-grc-fips",
    url: "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/demo",
    helper: `${BINARY} --profile dev`,
    env: { AWS_USE_FIPS_ENDPOINT: "true" },
  },
  {
    name: "codecommit::<region>://... with CODE_COMMIT_ENDPOINT: that host, named to the helper with its region",
    args: ["clone", "codecommit::us-east-1://dev@demo", "by-grc-endpoint"],
    dir: "by-grc-endpoint",
    url: `https://${CUSTOM_HOST}/v1/repos/demo`,
    helper: `${BINARY} --profile dev --region us-east-1 --host ${CUSTOM_HOST}`,
    env: { CODE_COMMIT_ENDPOINT: CUSTOM_HOST },
  },
];

describe("clone, then pull and push with no further flags", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const url = c.url || server.url("demo", "git-codecommit.eu-west-1.amazonaws.com");
      const args = c.args.map((a) => (a === "" ? url : a));
      const r = await helper(args, world.dir, c.env);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`Cloning into '${c.dir}'...\n`);
      expect(r.code).toBe(0);
      const dir = join(world.dir, c.dir);
      // The clone carries setup's settings, and the URL as given (no secret in it).
      expect((await git(["config", "--local", "--get-regexp", "^(credential|remote\\.origin\\.url)"], dir)).stdout).toBe(
        `credential.helper \ncredential.helper ${c.helper}\ncredential.usehttppath true\nremote.origin.url ${url}\n`,
      );

      const pull = await git(["pull"], dir);
      expect(pull).toEqual({ code: 0, stdout: "Already up to date.\n", stderr: "" });
      writeFileSync(join(dir, `${c.dir}.txt`), `${c.name}\n`);
      expect((await git(["add", "."], dir)).code).toBe(0);
      expect((await git(["commit", "-q", "-m", c.dir], dir)).code).toBe(0);
      const push = await git(["push", "-q"], dir);
      expect(push.stderr).toBe("");
      expect(push.code).toBe(0);
      expect((await git(["--git-dir", server.repoDir("demo"), "log", "-1", "--format=%s", "main"], world.dir)).stdout).toBe(`${c.dir}\n`);
      expectNoSecrets(r.stderr + pull.stderr + push.stderr, [SECRET]);
    });
  }

  it("the first clone pulls what the others pushed", async () => {
    const dir = join(world.dir, "by-name");
    const pull = await git(["pull", "-q"], dir);
    expect(pull).toEqual({ code: 0, stdout: "", stderr: "" });
    for (const c of CASES) expect(readFileSync(join(dir, `${c.dir}.txt`), "utf8")).toBe(`${c.name}\n`);
  });

  it("passes arguments after -- to git clone", async () => {
    const r = await helper(["clone", "--profile", "dev", "--region", "us-east-1", "demo", "shallow", "--", "--depth", "1", "--quiet"]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect((await git(["rev-parse", "--is-shallow-repository"], join(world.dir, "shallow"))).stdout).toBe("true\n");
  });

  it("exits with git's status when git fails", async () => {
    const r = await helper(["clone", "--profile", "dev", "--region", "us-east-1", "no-such-repo"]);
    expect(r.code).toBe(128);
    expect(r.stderr).toContain("fatal: ");
  });
});

describe("clone under a storing helper given with git -c", () => {
  // What `git -c credential.helper=store` (a `!git -c …` alias, a wrapper script) hands its children.
  // git reads it after the new repository's config, so the clone's --config reset alone cannot clear it.
  const STORE = { GIT_CONFIG_PARAMETERS: "'credential.helper'='store'" };

  it("the clone succeeds and store is never handed the password", async () => {
    const url = server.url("demo", "git-codecommit.us-east-1.amazonaws.com");
    const r = await helper(["clone", "--profile", "dev", url, "under-store"], world.dir, STORE);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "Cloning into 'under-store'...\n" });
    const stored = join(world.env.HOME as string, ".git-credentials");
    // Its length, not its text: a failure must not print the password it holds.
    expect(existsSync(stored) ? readFileSync(stored, "utf8").length : 0).toBe(0);
    // The repository keeps setup's settings (unscoped), for every later pull and push.
    expect((await git(["config", "--local", "--get-regexp", "^credential"], join(world.dir, "under-store"))).stdout).toBe(
      `credential.helper \ncredential.helper ${BINARY} --profile dev\ncredential.usehttppath true\n`,
    );
  });
});

describe("clone notes what doctor would flag", () => {
  it("a password a storing helper kept from before, which the clone's reset hides but does not erase", async () => {
    const file = join(world.dir, "old-credentials");
    writeFileSync(file, "https://AKIAEXPIREDSTORED0001:20240101T000000Zdeadbeef@git-codecommit.us-east-1.amazonaws.com\n");
    const url = server.url("demo", "git-codecommit.us-east-1.amazonaws.com");
    const r = await helper(["clone", "--profile", "dev", url, "noted"], world.dir, {
      GIT_CONFIG_PARAMETERS: `'credential.helper'='store --file ${file}'`,
    });
    expect(r).toEqual({
      code: 0,
      stdout: "",
      stderr: `note: ${file} still holds a CodeCommit password for git-codecommit.us-east-1.amazonaws.com, which git would replay once expired; ${BINARY} doctor --fix erases it\nCloning into 'noted'...\n`,
    });
  });
});

describe("clone refuses what it cannot clone", () => {
  it.each([
    [["clone"], "git-credential-codecommit: clone needs a repository. Run git-credential-codecommit clone --help\n"],
    [
      ["clone", "https://github.com/owner/repo"],
      "git-credential-codecommit: https://github.com/owner/repo is not a CodeCommit URL. Give an https://git-codecommit.<region>.amazonaws.com/v1/repos/<name> URL or just the repository name\n",
    ],
    [
      ["clone", "demo"],
      "git-credential-codecommit: no AWS region is configured to find the repository demo in. Give --region REGION, set region in the profile, or use the full https URL\n",
    ],
    [
      ["clone", "not/a/name"],
      'git-credential-codecommit: "not/a/name" is neither a CodeCommit repository name nor a CodeCommit URL. Give a name, an https URL, or codecommit::<region>://[<profile>@]<name>\n',
    ],
    [
      ["clone", "https://AKIA:secret@git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"],
      "git-credential-codecommit: the repository URL carries a user name or password. Leave it out: git-credential-codecommit computes them for every request\n",
    ],
  ])("%j", async (args, stderr) => {
    expect(await helper(args)).toEqual({ code: 1, stdout: "", stderr });
  });
});
