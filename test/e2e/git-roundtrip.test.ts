/**
 * The product as a user runs it: real git, the built binary on PATH as `credential.helper=codecommit
 * --profile cross` (a cross-account role profile), a local HTTPS server that verifies passwords the
 * CodeCommit way, and an STS peer. Clone, commit, push, clone again, see the commit.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "../support/git-server.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { expectNoSecrets } from "../support/no-secrets.js";
import { BINARY } from "../support/run-binary.js";
import { audited } from "../support/secret-audit.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const run = promisify(execFile);
const BASE_SECRET = "base-secret-roundtrip-0123456789";

let world: IsolatedEnv;
let sts: StsStub;
let server: GitServer;
let env: Record<string, string>;

/** Runs git as a user would, with the server's resolve/CA settings; never throws, returns the result. */
async function git(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  // git passes the helper's stderr on as its own: the audit sees what the user would (secret-audit.ts).
  return audited({ env, peers: [sts, server], label: `git ${args.join(" ")}` }, async () => {
    try {
      const { stdout, stderr } = await run("git", [...server.gitArgs(), ...args], { cwd, env, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  });
}

beforeAll(async () => {
  world = isolatedEnv();
  sts = await startStsStub();
  sts.registerStatic("AKIABASEEXAMPLE00001", BASE_SECRET);
  server = await startGitServer({ root: join(world.dir, "repos"), secretFor: (k) => sts.secretFor(k) });
  server.createRepo("demo");
  world.writeConfig(
    [
      "[profile base]",
      "aws_access_key_id = AKIABASEEXAMPLE00001",
      `aws_secret_access_key = ${BASE_SECRET}`,
      "[profile cross]",
      "role_arn = arn:aws:iam::222222222222:role/developer",
      "source_profile = base",
      "[profile wrong]",
      "aws_access_key_id = AKIABASEEXAMPLE00001",
      "aws_secret_access_key = not-the-secret-the-server-knows",
      "",
    ].join("\n"),
  );
  // git finds `git-credential-codecommit` on PATH for credential.helper=codecommit (gitcredentials(7)).
  env = { ...world.env, PATH: `${dirname(BINARY)}:${world.env.PATH}`, AWS_ENDPOINT_URL_STS: sts.endpoint };
});

afterAll(async () => {
  await server?.close();
  await sts?.close();
  world?.cleanup();
});

describe("git through the helper against a CodeCommit-compatible server", () => {
  it("clone, commit, push, clone again with a cross-account role profile", async () => {
    const first = join(world.dir, "first");
    const clone = await git(
      [
        "clone",
        "--config",
        "credential.helper=codecommit --profile cross",
        "--config",
        "credential.UseHttpPath=true",
        server.url("demo"),
        first,
      ],
      world.dir,
    );
    expect(clone.code, clone.stderr).toBe(0);

    writeFileSync(join(first, "README"), "hello from the helper\n");
    expect((await git(["add", "README"], first)).code).toBe(0);
    expect((await git(["commit", "-q", "-m", "first commit"], first)).code).toBe(0);
    const push = await git(["push", "origin", "HEAD:main"], first);
    expect(push.code, push.stderr).toBe(0);

    const second = join(world.dir, "second");
    const again = await git(
      [
        "clone",
        "--config",
        "credential.helper=codecommit --profile cross",
        "--config",
        "credential.UseHttpPath=true",
        server.url("demo"),
        second,
      ],
      world.dir,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(second, "README"), "utf8")).toBe("hello from the helper\n");
    expect((await git(["log", "-1", "--format=%s"], second)).stdout).toBe("first commit\n");

    // One role session for the whole clone, push and clone (the helper's role cache), and every
    // authenticated request was signed with it: never the base key.
    expect(sts.calls.filter((c) => c.action === "AssumeRole").map((c) => c.params.RoleArn)).toEqual([
      "arn:aws:iam::222222222222:role/developer",
    ]);
    expect(sts.issued).toHaveLength(1);
    const authenticated = server.requests.filter((r) => r.status === 200);
    // clone: refs + fetch; push: refs + receive-pack; clone: refs + fetch — at least one each.
    expect(authenticated.length).toBeGreaterThanOrEqual(3);
    expect(new Set(authenticated.map((r) => r.user))).toEqual(new Set([sts.issued[0]!.accessKeyId]));
    for (const out of [clone.stderr, push.stderr, again.stderr])
      expectNoSecrets(out, [BASE_SECRET, ...sts.issued.flatMap((i) => [i.secretAccessKey, i.sessionToken])]);
  });

  it("a wrong secret gets 403 and git fails without prompting", async () => {
    const dir = join(world.dir, "wrong");
    mkdirSync(dir);
    const before = server.requests.length;
    const r = await git(
      [
        "clone",
        "--config",
        "credential.helper=codecommit --profile wrong",
        "--config",
        "credential.UseHttpPath=true",
        server.url("demo"),
        join(dir, "c"),
      ],
      dir,
    );
    expect(r.code).not.toBe(0);
    expect(server.requests.slice(before).map((q) => q.status)).toEqual([401, 403]);
    expect(r.stderr).toContain("The requested URL returned error: 403");
  });

  it("without UseHttpPath, git stops with the helper's one-line fix", async () => {
    const dir = join(world.dir, "nopath");
    mkdirSync(dir);
    const r = await git(["clone", "--config", "credential.helper=codecommit --profile cross", server.url("demo"), join(dir, "c")], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'git-credential-codecommit: git did not send the repository path for git-codecommit.us-east-1.amazonaws.com, which the CodeCommit signature needs. Run "git config --global credential.https://git-codecommit.us-east-1.amazonaws.com.UseHttpPath true" (or set credential.UseHttpPath=true for this repository)\n',
    );
    // quit=1 stopped git from asking for a username.
    expect(r.stderr).not.toContain("Username for");
  });

  it("with --debug the trace reaches git's stderr, through a fresh AssumeRole, and the audit finds no secret in it", async () => {
    rmSync(join(world.home, ".aws", "cli", "cache"), { recursive: true, force: true });
    const issued = sts.issued.length;
    const r = await git(
      [
        "clone",
        "--config",
        "credential.helper=codecommit --profile cross --debug",
        "--config",
        "credential.UseHttpPath=true",
        server.url("demo"),
        join(world.dir, "debug"),
      ],
      world.dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(sts.issued).toHaveLength(issued + 1);
    // git() has audited this stderr for the base secret, the new session and the passwords git sent.
    expect(r.stderr).toContain("role cache written");
  });
});
