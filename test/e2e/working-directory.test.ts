/**
 * git runs the helper inside the user's repository, whose files must not steer it. A compiled Bun would by default
 * read that directory's `.env` into process.env (other AWS credentials, another STS endpoint) and
 * its `bunfig.toml`, whose `preload` runs the repository's own code; scripts/build.mjs turns both
 * off. The executable is split into chunks that load each other by relative imports (scripts/build.mjs):
 * the SDK's must come from its embedded file system, never from a `sdk.js` (src/runtime/sdk.ts's name) or
 * `node_modules` of the repository. These are the regression tests, through the built binary.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { BINARY, runHelper } from "../support/run-binary.js";
import { firstSessionUser, roleWorld } from "../support/role-world.js";
import { auditPrinted } from "../support/secret-audit.js";

const REQUEST = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";

let world: IsolatedEnv;
let repo: string;
let marker: string;

beforeEach(() => {
  world = isolatedEnv();
  repo = join(world.dir, "repo");
  marker = join(world.dir, "preload-ran");
  mkdirSync(repo);
  writeFileSync(
    join(repo, ".env"),
    "AWS_ACCESS_KEY_ID=AKIAFROMDOTENV000001\nAWS_SECRET_ACCESS_KEY=dotenv-secret-000000000000\nAWS_PROFILE=from-dotenv\n",
  );
  writeFileSync(join(repo, "bunfig.toml"), 'preload = ["./preload.js"]\n');
  writeFileSync(join(repo, "preload.js"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`);
});
afterEach(() => world.cleanup());

function helper(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(BINARY, args, { cwd: repo, env: { ...world.env, ...env }, input: REQUEST, encoding: "utf8", timeout: 120_000 });
  auditPrinted(r, { env: { ...world.env, ...env }, secrets: ["dotenv-secret-000000000000"], label: `helper ${args.join(" ")}` });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

it("ignores the repository's .env: the environment's credentials sign", () => {
  const r = helper(["get"], { AWS_ACCESS_KEY_ID: "AKIAFROMENVIRONMENT1", AWS_SECRET_ACCESS_KEY: "env-secret-0000000000000000" });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout.split("\n")[0]).toBe("username=AKIAFROMENVIRONMENT1");
});

it("finds no credentials in a repository's .env either", () => {
  const r = helper(["get"]);
  // The default profile, not the .env's AWS_PROFILE, and not its keys.
  expect(r).toEqual({
    stdout: "quit=1\n",
    stderr:
      `git-credential-codecommit: no AWS credentials found for profile default (looked in the environment, ${world.configFile}, ${world.credentialsFile}; ` +
      'instance metadata is off by AWS_EC2_METADATA_DISABLED). Run "aws configure --profile default", or "git-credential-codecommit setup --profile NAME" with a configured profile\n',
    code: 1,
  });
});

it("never runs a preload named by the repository's bunfig.toml", () => {
  expect(helper(["store"])).toEqual({ stdout: "", stderr: "", code: 0 });
  helper(["get"], { AWS_ACCESS_KEY_ID: "AKIAFROMENVIRONMENT1", AWS_SECRET_ACCESS_KEY: "env-secret-0000000000000000" });
  expect(existsSync(marker)).toBe(false);
});

it("loads the SDK from inside the executable, never the repository's sdk.js or node_modules", async () => {
  const planted = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran"); process.exit(42);\n`;
  writeFileSync(join(repo, "sdk.js"), planted);
  const fake = join(repo, "node_modules", "@aws-sdk", "client-sts");
  mkdirSync(fake, { recursive: true });
  writeFileSync(join(fake, "package.json"), '{ "name": "@aws-sdk/client-sts", "main": "index.js" }\n');
  writeFileSync(join(fake, "index.js"), planted);
  const { sts, env } = await roleWorld(world);
  try {
    const r = await runHelper(["--profile", "cross", "get"], { env, cwd: repo, stdin: REQUEST, peers: [sts] });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(firstSessionUser(sts));
    expect(existsSync(marker)).toBe(false);
  } finally {
    await sts.close();
  }
});
