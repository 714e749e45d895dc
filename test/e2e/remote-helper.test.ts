/**
 * The git-remote-codecommit mode, as a user of AWS's Python tool runs it: real git finds
 * `dist/git-remote-codecommit` (the link `npm run build` makes) on PATH for `codecommit://` URLs and
 * talks to the local CodeCommit-compatible server, which checks every password the CodeCommit way.
 *
 * The remote helper builds `https://<host>/v1/repos/<repo>` on port 443. The test reaches the server
 * through a loopback CONNECT proxy (`http.proxy`) that records which host:port git asked for — the
 * proof of which host was chosen — and forwards every tunnel to the server; `http.sslCAInfo` trusts
 * the test CA. Both are passed as GIT_CONFIG_COUNT entries, so they also prove that the hand-off
 * keeps the caller's entries (and `git -c`'s, in GIT_CONFIG_PARAMETERS). A custom
 * CODE_COMMIT_ENDPOINT with a port is reached through `http.curloptResolve` instead.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "../support/git-server.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { expectNoSecrets } from "../support/no-secrets.js";
import { BINARY, ROOT } from "../support/run-binary.js";
import { audited } from "../support/secret-audit.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const run = promisify(execFile);
const KEY = "AKIAREMOTEEXAMPLE001";
const SECRET = "remote-helper-secret-0123456789abcdef";
const WRONG_KEY = "AKIAREMOTEEXAMPLE002";
const CUSTOM_HOST = "codecommit.test.internal";
const HOSTS = [
  "git-codecommit.us-east-1.amazonaws.com",
  "git-codecommit.eu-west-1.amazonaws.com",
  "git-codecommit-fips.us-east-1.amazonaws.com",
  "git-codecommit.cn-north-1.amazonaws.com.cn",
  "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com",
];
/** A CodeCommit password as `aws codecommit credential-helper` formats it: what must never appear in an argument list. */
/** The first commit of the demo repository, put there directly (not through the server) so that each test stands alone. */
const SEED = "seeded without the helper\n";
const PASSWORD_SHAPE = /\d{8}T\d{6}Z[0-9a-f]{64}/;
/** The binary the link resolves to: the credential helper command the hand-off configures. */
const BINARY_REAL = realpathSync(BINARY);

interface ConnectProxy {
  readonly url: string;
  /** Every CONNECT target (`host:port`) in arrival order. */
  readonly targets: string[];
  close(): Promise<void>;
}

/** A CONNECT-only proxy on 127.0.0.1 that tunnels every request to `port` on 127.0.0.1. */
async function startConnectProxy(port: number): Promise<ConnectProxy> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client: Socket, head: Buffer) => {
    targets.push(req.url ?? "");
    const upstream = connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** GIT_CONFIG_COUNT/KEY_n/VALUE_n for these settings. */
function configEnv(entries: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  return env;
}

let world: IsolatedEnv;
let sts: StsStub;
let server: GitServer;
let custom: GitServer;
let proxy: ConnectProxy;
let env: Record<string, string>;

interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git as a user would; never throws. The timeout only catches a hang. */
async function git(args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<GitResult> {
  // git passes the helpers' stderr on as its own: the audit sees what the user would (secret-audit.ts).
  return audited({ env: { ...env, ...extraEnv }, peers: [sts, server, custom], label: `git ${args.join(" ")}` }, async () => {
    try {
      const { stdout, stderr } = await run("git", args, { cwd, env: { ...env, ...extraEnv }, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  });
}

/** Clones `url` into a fresh directory; returns the directory and git's result. */
async function clone(
  url: string,
  name: string,
  extraEnv: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<GitResult & { dir: string }> {
  const dir = join(world.dir, name);
  return { ...(await git(["clone", ...extraArgs, url, dir], world.dir, extraEnv)), dir };
}

/** The proxy targets recorded while `action` ran. */
async function connectsDuring<T>(action: () => Promise<T>): Promise<{ result: T; targets: string[] }> {
  const before = proxy.targets.length;
  const result = await action();
  return { result, targets: [...new Set(proxy.targets.slice(before))] };
}

beforeAll(async () => {
  world = isolatedEnv();
  sts = await startStsStub();
  sts.registerStatic(KEY, SECRET);
  server = await startGitServer({ root: join(world.dir, "repos"), secretFor: (k) => sts.secretFor(k), hostnames: HOSTS });
  custom = await startGitServer({
    root: join(world.dir, "repos"),
    secretFor: (k) => sts.secretFor(k),
    hostnames: [CUSTOM_HOST],
    region: "us-east-1",
  });
  proxy = await startConnectProxy(server.port);
  for (const repo of ["demo", "lib", "super"]) server.createRepo(repo);
  const seed = join(world.dir, "seed");
  execFileSync("git", ["init", "-q", "-b", "main", seed], { env: world.env });
  writeFileSync(join(seed, "README"), SEED);
  execFileSync("git", ["add", "README"], { cwd: seed, env: world.env });
  execFileSync("git", ["commit", "-q", "-m", "seed"], { cwd: seed, env: world.env });
  execFileSync("git", ["push", "-q", server.repoDir("demo"), "main"], { cwd: seed, env: world.env });
  world.writeConfig(
    [
      "[profile dev]",
      "region = us-east-1",
      "[profile fips]",
      "region = us-east-1",
      "use_fips_endpoint = true",
      "[profile china]",
      "region = cn-north-1",
      "[profile cross]",
      "region = us-east-1",
      "role_arn = arn:aws:iam::222222222222:role/developer",
      "source_profile = dev",
      "[profile wrong]",
      "region = us-east-1",
      "",
    ].join("\n"),
  );
  world.writeCredentials(
    [
      "[dev]",
      `aws_access_key_id = ${KEY}`,
      `aws_secret_access_key = ${SECRET}`,
      "[fips]",
      `aws_access_key_id = ${KEY}`,
      `aws_secret_access_key = ${SECRET}`,
      "[china]",
      `aws_access_key_id = ${KEY}`,
      `aws_secret_access_key = ${SECRET}`,
      "[wrong]",
      `aws_access_key_id = ${WRONG_KEY}`,
      "aws_secret_access_key = not-known-to-the-server-0123",
      "",
    ].join("\n"),
  );
  const base = { ...world.env };
  // Nothing from this machine may route git or the helper elsewhere.
  for (const k of Object.keys(base)) if (/^(https?_proxy|all_proxy|no_proxy)$/i.test(k)) delete base[k];
  env = {
    ...base,
    // git finds git-remote-codecommit on PATH, as it finds the Python tool's entry point.
    PATH: `${dirname(BINARY)}:${base.PATH ?? ""}`,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    ...configEnv([
      ["http.proxy", proxy.url],
      ["http.sslCAInfo", server.caFile],
    ]),
  };
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await custom?.close();
  await sts?.close();
  world?.cleanup();
});

/** Commits a file in `dir` and pushes it to origin's main. */
async function commitAndPush(dir: string, file: string, text: string): Promise<GitResult> {
  writeFileSync(join(dir, file), text);
  expect((await git(["add", file], dir)).code).toBe(0);
  expect((await git(["commit", "-q", "-m", `add ${file}`], dir)).code).toBe(0);
  return git(["push", "origin", "HEAD:main"], dir);
}

describe("git-remote-codecommit through real git", () => {
  it("clone codecommit://PROFILE@REPO, push, and fetch from another clone", async () => {
    const first = await connectsDuring(() => clone("codecommit://dev@demo", "first"));
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(first.targets).toEqual(["git-codecommit.us-east-1.amazonaws.com:443"]);
    expect(readFileSync(join(first.result.dir, "README"), "utf8")).toBe(SEED);
    const push = await commitAndPush(first.result.dir, "PUSHED", "pushed through codecommit://\n");
    expect(push.code, push.stderr).toBe(0);

    const second = await clone("codecommit://dev@demo", "second");
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(second.dir, "PUSHED"), "utf8")).toBe("pushed through codecommit://\n");

    expect((await commitAndPush(first.result.dir, "NEWS", "second commit\n")).code).toBe(0);
    const fetch = await git(["pull", "-q", "--ff-only", "origin", "main"], second.dir);
    expect(fetch.code, fetch.stderr).toBe(0);
    expect(readFileSync(join(second.dir, "NEWS"), "utf8")).toBe("second commit\n");
    // The remote stays as the user wrote it: nothing in the repository's config changes.
    expect((await git(["config", "--get", "remote.origin.url"], second.dir)).stdout).toBe("codecommit://dev@demo\n");
    expect((await git(["config", "--get-regexp", "^credential"], second.dir)).stdout).toBe("");
    for (const out of [first.result.stderr, push.stderr, second.stderr, fetch.stderr]) expectNoSecrets(out, [SECRET]);
    // Every request the server let through was signed with the profile's key.
    expect(new Set(server.requests.filter((r) => r.status === 200).map((r) => r.user))).toEqual(new Set([KEY]));
  });

  it("git ls-remote with a URL and no remote name (git passes the URL as the name)", async () => {
    const r = await git(["ls-remote", "codecommit::us-east-1://dev@demo", "refs/heads/main"], world.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main\n$/);
  });

  it("codecommit::REGION://PROFILE@REPO goes to that region's host", async () => {
    const r = await connectsDuring(() => clone("codecommit::eu-west-1://dev@demo", "region-form"));
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(r.targets).toEqual(["git-codecommit.eu-west-1.amazonaws.com:443"]);
    expect(readFileSync(join(r.result.dir, "README"), "utf8")).toBe(SEED);
  });

  it("codecommit://REPO uses AWS_PROFILE, as the Python tool's default session does", async () => {
    const r = await connectsDuring(() => clone("codecommit://demo", "no-profile", { AWS_PROFILE: "dev" }));
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(r.targets).toEqual(["git-codecommit.us-east-1.amazonaws.com:443"]);
  });

  it("a China region goes to .amazonaws.com.cn", async () => {
    const r = await connectsDuring(() => clone("codecommit://china@demo", "china"));
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(r.targets).toEqual(["git-codecommit.cn-north-1.amazonaws.com.cn:443"]);
  });

  it("FIPS host from AWS_USE_FIPS_ENDPOINT=true", async () => {
    const r = await connectsDuring(() => clone("codecommit::us-east-1://dev@demo", "fips-env", { AWS_USE_FIPS_ENDPOINT: "true" }));
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(r.targets).toEqual(["git-codecommit-fips.us-east-1.amazonaws.com:443"]);
  });

  it("FIPS host from the profile's use_fips_endpoint = true", async () => {
    const r = await connectsDuring(() => clone("codecommit://fips@demo", "fips-profile"));
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(r.targets).toEqual(["git-codecommit-fips.us-east-1.amazonaws.com:443"]);
  });

  it("CODE_COMMIT_ENDPOINT names a VPC endpoint host", async () => {
    const vpce = "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com";
    const r = await connectsDuring(() => clone("codecommit://dev@demo", "vpce", { CODE_COMMIT_ENDPOINT: vpce }));
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(r.targets).toEqual([`${vpce}:443`]);
  });

  it("CODE_COMMIT_ENDPOINT with a host that names no region, and a port (reached by http.curloptResolve)", async () => {
    const before = custom.requests.length;
    const r = await clone("codecommit://dev@demo", "custom", {
      CODE_COMMIT_ENDPOINT: `${CUSTOM_HOST}:${custom.port}`,
      ...custom.gitConfigEnv(CUSTOM_HOST),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(r.dir, "README"), "utf8")).toBe(SEED);
    expect(custom.requests.slice(before).filter((q) => q.status === 200).length).toBeGreaterThan(0);
  });

  it("a role profile: the same credential path as get (STS AssumeRole, then signed with the session)", async () => {
    const calls = sts.calls.length;
    const r = await clone("codecommit://cross@demo", "cross");
    expect(r.code, r.stderr).toBe(0);
    const assumed = sts.calls.slice(calls).filter((c) => c.action === "AssumeRole");
    expect(assumed.map((c) => c.params.RoleArn)).toEqual(["arn:aws:iam::222222222222:role/developer"]);
    const issued = sts.issued.at(-1);
    expect(server.requests.some((q) => q.status === 200 && q.user === issued?.accessKeyId)).toBe(true);
    expectNoSecrets(r.stderr, [SECRET, issued?.secretAccessKey ?? "", issued?.sessionToken ?? ""]);
  });

  it("the npm package installs git-remote-codecommit as a second bin, which works under node", async () => {
    const prefix = join(world.dir, "npm-prefix");
    // --ignore-scripts: `prepare` would rebuild dist/ under the other tests running it.
    const packed = await run("npm", ["pack", "--json", "--ignore-scripts", `--pack-destination=${world.dir}`], {
      cwd: ROOT,
      env: { ...process.env, npm_config_loglevel: "error" },
      timeout: 120_000,
    });
    const tarball = join(world.dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]?.filename ?? "");
    await run("npm", ["install", "--global", `--prefix=${prefix}`, "--offline", "--no-audit", "--no-fund", tarball], {
      env: { ...process.env, npm_config_loglevel: "error" },
      timeout: 120_000,
    });
    // npm links the bin to the package's script; the script sees the name it was started under.
    expect(realpathSync(join(prefix, "bin", "git-remote-codecommit"))).toBe(
      realpathSync(join(prefix, "lib", "node_modules", "git-credential-codecommit", "dist", "git-credential-codecommit.cjs")),
    );
    const r = await clone("codecommit://dev@demo", "npm", {
      PATH: `${join(prefix, "bin")}:${dirname(process.execPath)}:${world.env.PATH ?? ""}`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(r.dir, "README"), "utf8")).toBe(SEED);
  });

  it("install-remote-helper links the name into a directory on PATH, and git uses it", async () => {
    const bin = join(world.dir, "installed-bin");
    mkdirSync(bin);
    const installEnv = { ...env, PATH: `${bin}:${world.env.PATH ?? ""}` };
    const installed = await audited({ env: installEnv, label: "install-remote-helper" }, () =>
      run(BINARY, ["install-remote-helper", bin], { env: installEnv, timeout: 60_000 }),
    );
    expect(installed).toEqual({ stdout: `linked ${join(bin, "git-remote-codecommit")} -> ${BINARY_REAL}\n`, stderr: "" });
    const r = await clone("codecommit://dev@demo", "installed", { PATH: `${bin}:${world.env.PATH ?? ""}` });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(r.dir, "README"), "utf8")).toBe(SEED);
  });

  it("a wrong secret: 403, and git stops", async () => {
    const before = server.requests.length;
    const r = await clone("codecommit://wrong@demo", "wrong");
    expect(r.code).not.toBe(0);
    expect(server.requests.slice(before).map((q) => q.status)).toEqual([401, 403]);
    expect(r.stderr).toContain("The requested URL returned error: 403");
  });

  it("git -c credential.helper=store: the storing helper never gets the password", async () => {
    // `git -c` reaches the child through GIT_CONFIG_PARAMETERS, which git reads after
    // GIT_CONFIG_COUNT (config.c git_config_from_parameters): the hand-off's reset must come after it.
    const stored = [join(world.home, ".git-credentials"), join(world.home, ".config", "git", "credentials")];
    const withC = await git(
      ["-c", "credential.helper=store", "clone", "codecommit://dev@demo", join(world.dir, "store-with-c")],
      world.dir,
    );
    expect(withC.code, withC.stderr).toBe(0);
    expect(readFileSync(join(world.dir, "store-with-c", "README"), "utf8")).toBe(SEED);
    // And with the caller's own GIT_CONFIG_PARAMETERS entry kept (git-config(1) protocol.allow).
    const both = await git(
      ["-c", "credential.helper=store", "-c", "protocol.codecommit.allow=always", "fetch", "codecommit::us-east-1://dev@demo", "main"],
      join(world.dir, "store-with-c"),
    );
    expect(both.code, both.stderr).toBe(0);
    expect(stored.filter((f) => existsSync(f) && readFileSync(f, "utf8") !== "")).toEqual([]);
  });

  it("errors before the hand-off are the helper's one line", async () => {
    const unknown = await clone("codecommit://nope@demo", "unknown");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(
      `git-credential-codecommit: the AWS profile "nope" is not in ${world.configFile} or ${world.credentialsFile}. Known profiles: "china", "cross", "dev", "fips", "wrong"\n`,
    );
    const bad = await clone("codecommit::nowhere://dev@demo", "bad");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(
      'git-credential-codecommit: the remote URL "codecommit::nowhere://dev@demo" starts with "nowhere", which is neither codecommit nor an AWS region. Use codecommit://[PROFILE@]REPOSITORY or codecommit::REGION://[PROFILE@]REPOSITORY\n',
    );
    const noRegion = await clone("codecommit://demo", "no-region");
    expect(noRegion.code).not.toBe(0);
    expect(noRegion.stderr).toContain(
      'git-credential-codecommit: no AWS region for this remote: the URL names none, profile default has no region, and AWS_REGION/AWS_DEFAULT_REGION are unset. Use codecommit::REGION://... or run "aws configure set region REGION --profile default"\n',
    );
  });
});

describe("a submodule whose URL is codecommit://", () => {
  it("needs protocol.codecommit.allow=always; with it, a recursive clone fetches the submodule", async () => {
    const lib = await clone("codecommit://dev@lib", "lib-seed");
    expect(lib.code, lib.stderr).toBe(0);
    expect((await commitAndPush(lib.dir, "lib.txt", "library\n")).code).toBe(0);

    const allow = { GIT_CONFIG_PARAMETERS: "'protocol.codecommit.allow'='always'" };
    const sup = await clone("codecommit://dev@super", "super-seed");
    expect(sup.code, sup.stderr).toBe(0);
    const add = await git(["submodule", "add", "codecommit://dev@lib", "lib"], sup.dir, allow);
    expect(add.code, add.stderr).toBe(0);
    expect((await git(["commit", "-q", "-m", "add lib"], sup.dir)).code).toBe(0);
    expect((await git(["push", "origin", "HEAD:main"], sup.dir)).code).toBe(0);

    // git's default for a protocol it does not know is "user": not from a submodule (git-config(1) protocol.allow).
    const refused = await clone("codecommit://dev@super", "super-refused", {}, ["--recurse-submodules"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("transport 'codecommit' not allowed");

    const r = await clone("codecommit://dev@super", "super", allow, ["--recurse-submodules"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(r.dir, "lib", "lib.txt"), "utf8")).toBe("library\n");
  });
});

describe("no secret in any argument list or environment", () => {
  it("strace records every program git starts, with its arguments and environment: no key, no password", async () => {
    // strace -f follows every descendant (the remote helper, git remote-https, the shell git runs
    // the credential helper with, the helper itself), which a git wrapper on PATH would not: git puts
    // its exec-path first on PATH, so the hand-off's "git" is git's own.
    const log = join(world.dir, "execve.log");
    const strace = ["-f", "-qq", "-v", "-s", "100000", "-e", "trace=execve", "-o", log];
    const dir = join(world.dir, "argv-check");
    const clone = await audited({ env, peers: [sts, server], label: "strace git clone" }, () =>
      run("strace", [...strace, "git", "clone", "codecommit://dev@demo", dir], { cwd: world.dir, env, timeout: 120_000 }),
    ).then(
      () => 0,
      (err: { code?: number; stderr?: string }) => err.stderr ?? String(err.code),
    );
    const recorded = readFileSync(log, "utf8");
    // The secrets first: a leak must fail here even when it also broke the clone.
    expect(PASSWORD_SHAPE.test(recorded)).toBe(false);
    expect(recorded).not.toContain(KEY);
    expectNoSecrets(recorded, [SECRET]);
    expect(clone).toBe(0);
    // The hand-off ran, with a URL that carries no credential...
    expect(recorded).toContain('["git", "remote-https", "origin", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"]');
    // ...and git asked this binary for the password, given nothing but options.
    expect(recorded).toContain(`["/bin/sh", "-c", "${BINARY_REAL} --region us-east-1 --profile dev get"`);
  });
});
