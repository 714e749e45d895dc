import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeCommitRegion, signCodeCommitPassword } from "../support/codecommit-verify.js";
import { startGitServer, type GitServer } from "../support/git-server.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";

const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/**
 * A throwaway credential helper: a shell script that forwards git's request to this test process
 * over loopback, where the password is signed with the support module's signer (Node 20 cannot run
 * the TypeScript module directly in a child process). It records what git sent, so the test can
 * check the fields a real helper receives.
 */
interface ThrowawayHelper {
  /** Absolute path, usable as `credential.helper`. */
  path: string;
  /** Every `get` request git made, as key/value fields. */
  requests: Array<Record<string, string>>;
  /** Replaces the signing secret, e.g. with a wrong one. */
  secret: string;
  close(): Promise<void>;
}

async function startThrowawayHelper(dir: string, secret: string): Promise<ThrowawayHelper> {
  const requests: Array<Record<string, string>> = [];
  const state = { secret };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (s: string) => (body += s));
    req.on("end", () => {
      const fields = Object.fromEntries(
        body
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
      requests.push(fields);
      const host = (fields.host ?? "").replace(/:\d+$/, "");
      const password = signCodeCommitPassword({
        secretAccessKey: state.secret,
        host,
        path: `/${fields.path ?? ""}`,
        region: codeCommitRegion(host) ?? "none",
        time: new Date(),
      });
      res.end(`username=${ACCESS_KEY_ID}\npassword=${password}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const client = join(dir, "forward.cjs");
  writeFileSync(
    client,
    `const http = require("node:http");
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c)).on("end", () => {
  const req = http.request({ host: "127.0.0.1", port: ${port}, method: "POST" }, (res) => res.pipe(process.stdout));
  req.end(Buffer.concat(chunks));
});
`,
  );
  const path = join(dir, "git-credential-throwaway");
  // git appends the operation as the last argument; only "get" answers (store/erase are no-ops).
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = get ]; then exec node '${client}'; fi\ncat >/dev/null\n`);
  chmodSync(path, 0o755);

  return {
    path,
    requests,
    get secret() {
      return state.secret;
    },
    set secret(value: string) {
      state.secret = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function git(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile("git", args, { ...options, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("startGitServer", () => {
  let tmp: string;
  let server: GitServer;
  let helper: ThrowawayHelper;
  let world: IsolatedEnv;
  let env: NodeJS.ProcessEnv;
  /** -c arguments every git call gets: the server's, then the throwaway helper as the only helper. */
  let config: string[];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "git-server-selftest-"));
    server = await startGitServer({
      root: mkdtempSync(join(tmp, "repos-")),
      secretFor: (akid) => (akid === ACCESS_KEY_ID ? SECRET : undefined),
    });
    helper = await startThrowawayHelper(tmp, SECRET);
    world = isolatedEnv();
    env = world.env;
    config = [
      ...server.gitArgs(),
      // The empty value clears any helper configured before, as `setup` does (gitcredentials(7): an
      // empty helper resets the list).
      "-c",
      "credential.helper=",
      "-c",
      `credential.helper=${helper.path}`,
      "-c",
      "credential.useHttpPath=true",
    ];
  });

  afterAll(async () => {
    await helper?.close();
    await server?.close();
    world?.cleanup();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("clones, pushes and clones again through real git over https", async () => {
    server.createRepo("demo");
    const url = server.url("demo");
    expect(url).toBe(`https://git-codecommit.us-east-1.amazonaws.com:${server.port}/v1/repos/demo`);

    const clone1 = await git([...config, "clone", url, "one"], { cwd: tmp, env });
    expect(clone1.stderr).toContain("empty repository");
    expect(clone1.code).toBe(0);

    const one = join(tmp, "one");
    writeFileSync(join(one, "README.md"), "hello from the test\n");
    // Incompressible and over http.postBuffer (1 MiB), so git sends the pack chunked, without a
    // Content-Length: the CGI path where http-backend must read its input to EOF.
    const blob = randomBytes(3 * 1024 * 1024);
    writeFileSync(join(one, "blob.bin"), blob);
    expect(await git(["add", "README.md", "blob.bin"], { cwd: one, env })).toMatchObject({ code: 0 });
    expect(await git(["commit", "-q", "-m", "first"], { cwd: one, env })).toMatchObject({ stderr: "", code: 0 });
    const push = await git([...config, "push", "origin", "main"], { cwd: one, env });
    expect(push.stderr).toContain("main -> main");
    expect(push.code).toBe(0);

    // The second clone takes the server settings from the environment instead of -c arguments.
    const envConfig = { ...env, ...server.gitConfigEnv() };
    const clone2 = await git(
      ["-c", "credential.helper=", "-c", `credential.helper=${helper.path}`, "-c", "credential.useHttpPath=true", "clone", url, "two"],
      { cwd: tmp, env: envConfig },
    );
    expect(clone2.code).toBe(0);
    expect(readFileSync(join(tmp, "two", "README.md"), "utf8")).toBe("hello from the test\n");
    expect(readFileSync(join(tmp, "two", "blob.bin")).equals(blob)).toBe(true);

    // git hands the helper the repository path (no leading slash) and the host with its port.
    expect(helper.requests.length).toBeGreaterThan(0);
    for (const request of helper.requests) {
      expect(request).toMatchObject({
        protocol: "https",
        host: `git-codecommit.us-east-1.amazonaws.com:${server.port}`,
        path: "v1/repos/demo",
      });
    }

    // Each git command is asked for credentials once (401), then is served; the push reached receive-pack.
    const statuses = new Set(server.requests.map((r) => r.status));
    expect([...statuses].sort()).toEqual([200, 401]);
    for (const r of server.requests.filter((r) => r.status === 200)) expect(r.user).toBe(ACCESS_KEY_ID);
    expect(server.requests).toContainEqual({
      method: "POST",
      path: "/v1/repos/demo/git-receive-pack",
      status: 200,
      user: ACCESS_KEY_ID,
    });
    const log = await git(["--git-dir", server.repoDir("demo"), "log", "--format=%s", "main"], { cwd: tmp, env });
    expect(log.stdout).toBe("first\n");
  });

  it("serves every configured host name, signed with that host's region", async () => {
    server.createRepo("regional");
    const url = server.url("regional", "git-codecommit.eu-west-1.amazonaws.com");
    const result = await git([...config, "ls-remote", url], { cwd: tmp, env });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // Protocol v2: the refs come from a POST to git-upload-pack (ls-refs) after the GET of info/refs.
    expect(server.requests.filter((r) => r.path.startsWith("/v1/repos/regional/"))).toEqual([
      { method: "GET", path: "/v1/repos/regional/info/refs", status: 401 },
      { method: "GET", path: "/v1/repos/regional/info/refs", status: 200, user: ACCESS_KEY_ID },
      { method: "POST", path: "/v1/repos/regional/git-upload-pack", status: 200, user: ACCESS_KEY_ID },
    ]);
  });

  it("answers a wrong password with 403, and git fails", async () => {
    server.createRepo("locked");
    helper.secret = "not-the-secret";
    const before = server.requests.length;
    try {
      const result = await git([...config, "ls-remote", server.url("locked")], { cwd: tmp, env });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("403");
    } finally {
      helper.secret = SECRET;
    }
    const seen = server.requests.slice(before);
    expect(seen.map((r) => r.status)).toEqual([401, 403]);
    expect(seen[1]).toMatchObject({ user: ACCESS_KEY_ID, reason: expect.stringMatching(/signature mismatch/) });
    // The record holds the key id only: no password, no secret.
    expect(JSON.stringify(server.requests)).not.toContain(SECRET);
  });

  it("rejects unauthenticated requests with a Basic challenge", async () => {
    const result = await git([...server.gitArgs(), "-c", "credential.helper=", "ls-remote", server.url("demo")], {
      cwd: tmp,
      env,
    });
    expect(result.code).not.toBe(0);
    // With GIT_TERMINAL_PROMPT=0 and no helper, git gives up after the 401.
    expect(result.stderr).toMatch(/terminal prompts disabled|Authentication failed|could not read Username/);
    expect(server.requests.at(-1)).toMatchObject({ path: "/v1/repos/demo/info/refs", status: 401 });
  });
});
