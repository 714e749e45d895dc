/**
 * `doctor` (README, "Troubleshooting") through the built binary and real git: green on a healthy setup, then one
 * thing broken at a time, each giving its ✗ line and the command that fixes it — and running that
 * command makes doctor green again. STS is the local stub (AWS_ENDPOINT_URL_STS); the clock check
 * uses a peer whose Date header is two hours off.
 */
import { execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { bareToolsPath } from "../support/tools-path.js";
import { freePort, startHttpServer, type LoopbackHttp } from "../support/loopback.js";
import { expectNoSecrets } from "../support/no-secrets.js";
import { BINARY, runCommand } from "../support/run-binary.js";
import { auditPrinted } from "../support/secret-audit.js";
import { startOidcStub, type OidcStub } from "../support/oidc-stub.js";
import { startStsStub, STUB_USER_ARN, type StsStub } from "../support/sts-stub.js";

const run = promisify(execFile);
const URL_ = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo";
const KEY_ID = "AKIADOCTOREXAMPLE001";
const SECRET = "doctor-secret-0123456789abcdef";

let sts: StsStub;
/** The SSO tests' OIDC stub, once started: its tokens are audited in every run (secret-audit.ts). */
let oidc: OidcStub;
let skewedSts: LoopbackHttp;
const worlds: IsolatedEnv[] = [];

beforeAll(async () => {
  sts = await startStsStub();
  // An STS peer whose clock is two hours behind ours.
  skewedSts = await startHttpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("Date", new Date(Date.now() - 2 * 3600_000).toUTCString());
      res
        .writeHead(200, { "Content-Type": "text/xml" })
        .end(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${STUB_USER_ARN}</Arn><UserId>AIDAEXAMPLE</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
    });
  });
});

afterAll(async () => {
  await sts?.close();
  await skewedSts?.close();
  for (const w of worlds) w.cleanup();
});

interface Setup {
  world: IsolatedEnv;
  repo: string;
  env: Record<string, string>;
}

/** A repository with a CodeCommit origin, set up by `setup --profile dev`, the binary on PATH. */
function healthy(): Setup {
  const world = isolatedEnv();
  worlds.push(world);
  world.writeConfig(["[profile dev]", `aws_access_key_id = ${KEY_ID}`, `aws_secret_access_key = ${SECRET}`, ""].join("\n"));
  const env = { ...world.env, PATH: `${dirname(BINARY)}:${world.env.PATH}`, AWS_ENDPOINT_URL_STS: sts.endpoint };
  const repo = join(world.dir, "repo");
  mkdirSync(repo);
  execFileSync("git", ["init", "-q"], { cwd: repo, env });
  execFileSync("git", ["remote", "add", "origin", URL_], { cwd: repo, env });
  helperSync(["setup", "--profile", "dev"], { cwd: repo, env });
  return { world, repo, env };
}

/** Runs doctor without blocking this process, which serves STS to it. */
function doctor(
  s: Setup,
  args: string[] = [],
  env: Record<string, string> = s.env,
  cwd = s.repo,
  program = BINARY,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(program, ["doctor", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      expectNoSecrets(stdout + stderr, [SECRET]);
      resolve({ code, stdout, stderr });
    });
  }).then((r) => (auditPrinted(r, { env, peers: [sts, ...(oidc === undefined ? [] : [oidc])], label: `doctor ${args.join(" ")}` }), r));
}

/** Runs a fix line exactly as doctor printed it, through the shell as the user would paste it. */
function runFix(s: Setup, line: string): void {
  checked(["sh", "-c", line], { cwd: s.repo, env: s.env });
}

/** The binary run to completion (setup), as execFileSync would; what it printed is audited. */
function helperSync(args: string[], opts: { cwd: string; env: Record<string, string> }): void {
  checked([BINARY, ...args], opts);
}

/** Runs a command that starts the binary, throws when it fails, and audits its output (secret-audit.ts). */
function checked(argv: string[], opts: { cwd: string; env: Record<string, string> }): void {
  const r = spawnSync(argv[0] as string, argv.slice(1), { ...opts, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  auditPrinted(r, { env: opts.env, peers: [sts, ...(oidc === undefined ? [] : [oidc])], label: argv.join(" ") });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr}`);
}

const [gitMajor, gitMinor, gitVersion] = ((): [number, number, string] => {
  const m = /(\d+)\.(\d+)(\.\d+)?/.exec(execFileSync("git", ["--version"], { encoding: "utf8" })) as RegExpExecArray;
  return [Number(m[1]), Number(m[2]), m[0]];
})();
// The upgrade is advised only where a storing helper could replay an expired password.
const GIT_LINE = `✓ git ${gitVersion}\n`;
const GIT_LINE_STORING =
  gitMajor > 2 || (gitMajor === 2 && gitMinor >= 40)
    ? GIT_LINE
    : `⚠ git ${gitVersion} ignores password_expiry_utc (git 2.40 and later honour it): a helper that stores passwords could hand git an expired one\n    fix: upgrade git to 2.40 or later\n`;
const HEAD = `Checking ${URL_} (origin)\n${GIT_LINE}`;
const HELPERS_OK = `✓ git runs these credential helpers for this URL, in order: "${BINARY} --profile dev" (local)\n`;
const PATH_OK = "✓ credential.UseHttpPath is true for this URL\n";
const BINARY_OK = `✓ git runs git-credential-codecommit 0.1.0 at ${BINARY}, also with a GUI's PATH=/usr/bin:/bin\n`;
const REMOTE_OK = `✓ git runs ${dirname(BINARY)}/git-remote-codecommit for codecommit:: URLs: this program\n`;
const AWS_OK = [
  "✓ region eu-west-1 (from the host name)\n",
  `✓ credentials from profile dev belong to ${STUB_USER_ARN} (account 111111111111)\n`,
  "✓ the clock agrees with STS (within a minute)\n",
].join("");
const GREEN = `${HEAD + HELPERS_OK + PATH_OK + BINARY_OK + AWS_OK}No problems found.\n`;

describe("doctor", () => {
  it("is green on a healthy setup, inside the repository and outside it with the URL", async () => {
    const s = healthy();
    expect(await doctor(s)).toEqual({ code: 0, stdout: GREEN, stderr: "" });
    // Outside, the scoped global setup is what applies.
    helperSync(["setup", "--global", "--profile", "dev"], { cwd: s.world.dir, env: s.env });
    expect(await doctor(s, [URL_], s.env, s.world.dir)).toEqual({
      code: 0,
      stdout: GREEN.replace(" (origin)", "").replace(`"${BINARY} --profile dev" (local)`, `"${BINARY} --profile dev" (global)`),
      stderr: "",
    });
  });

  it("no UseHttpPath: ✗ with the git config command", async () => {
    const s = healthy();
    execFileSync("git", ["config", "--unset", "credential.UseHttpPath"], { cwd: s.repo, env: s.env });
    const fix = "git config credential.UseHttpPath true";
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        HELPERS_OK +
        `✗ credential.UseHttpPath is not true for this URL: git would not send the repository path, which the CodeCommit signature needs\n    fix: ${fix}\n` +
        BINARY_OK +
        AWS_OK +
        "1 problem found.\n",
      stderr: "",
    });
    runFix(s, fix);
    expect(await doctor(s)).toEqual({ code: 0, stdout: GREEN, stderr: "" });
  });

  it("a store helper before ours, holding a CodeCommit password: two ✗ and their fixes", async () => {
    const s = healthy();
    execFileSync("git", ["config", "--unset-all", "credential.helper"], { cwd: s.repo, env: s.env });
    execFileSync("git", ["config", "--add", "credential.helper", "store"], { cwd: s.repo, env: s.env });
    execFileSync("git", ["config", "--add", "credential.helper", `${BINARY} --profile dev`], { cwd: s.repo, env: s.env });
    const stored = join(s.world.home, ".git-credentials");
    writeFileSync(
      stored,
      "https://github-user:github-token@github.com\nhttps://AKIAEXPIREDSTORED0001:20240101T000000Zdeadbeef@git-codecommit.eu-west-1.amazonaws.com\n",
    );
    const setupFix = "git-credential-codecommit setup --profile dev";
    const eraseFix = `printf 'protocol=https\\nhost=git-codecommit.eu-west-1.amazonaws.com\\n\\n' | git credential-store --file ${stored} erase`;
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD.replace(GIT_LINE, GIT_LINE_STORING) +
        `✓ git runs these credential helpers for this URL, in order: "store" (local), "${BINARY} --profile dev" (local)\n` +
        `✗ "store" (local config) runs before git-credential-codecommit and stores passwords: once a 15-minute password expires, git replays it and fails with 403\n    fix: ${setupFix}\n` +
        `✗ ${stored} holds a stored CodeCommit password for git-codecommit.eu-west-1.amazonaws.com, which git will replay once it expires (403)\n    fix: ${eraseFix}\n` +
        PATH_OK +
        BINARY_OK +
        AWS_OK +
        "2 problems found.\n",
      stderr: "",
    });
    runFix(s, setupFix);
    runFix(s, eraseFix);
    expect(await doctor(s)).toEqual({ code: 0, stdout: GREEN, stderr: "" });
    // The GitHub entry is untouched.
    expect(execFileSync("cat", [stored], { encoding: "utf8" })).toBe("https://github-user:github-token@github.com\n");
  });

  it("the AWS CLI's helper line still in use: ✗, fixed by setup, which keeps its profile", async () => {
    const s = healthy();
    execFileSync("git", ["config", "--unset-all", "credential.helper"], { cwd: s.repo, env: s.env });
    execFileSync("git", ["config", "credential.helper", "!aws codecommit credential-helper --profile dev $@"], { cwd: s.repo, env: s.env });
    const fix = "git-credential-codecommit setup --profile dev";
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        // One ✗, whose fix keeps the line's profile.
        `✗ git runs the AWS CLI's old helper line for this URL (local config), instead of git-credential-codecommit: !aws codecommit credential-helper --profile dev $@\n    fix: ${fix}\n` +
        PATH_OK +
        // The credentials checked are those of the profile the AWS CLI's line names.
        AWS_OK +
        "1 problem found.\n",
      stderr: "",
    });
    runFix(s, fix);
    expect(await doctor(s)).toEqual({ code: 0, stdout: GREEN, stderr: "" });
  });

  it("an earlier version's bare codecommit line, the program not on git's PATH: ✗ whose fix is setup by absolute path", async () => {
    const s = healthy();
    const env = { ...s.env, PATH: bareToolsPath(s.world) };
    helperSync(["setup", "--remove"], { cwd: s.repo, env });
    execFileSync("git", ["config", "credential.helper", "codecommit --profile dev"], { cwd: s.repo, env });
    execFileSync("git", ["config", "credential.UseHttpPath", "true"], { cwd: s.repo, env });
    // PATH does not find the program, so the fix names it by the path it was started from.
    const fix = `${BINARY} setup --profile dev`;
    const r = await doctor(s, [], env);
    expect(r).toEqual({
      code: 1,
      stdout:
        HEAD +
        HELPERS_OK.replace(BINARY, "codecommit") +
        PATH_OK +
        `✗ git cannot run the helper line "codecommit --profile dev": git: 'credential-codecommit' is not a git command. See 'git --help'.\n    fix: ${fix}\n` +
        AWS_OK +
        "1 problem found.\n",
      stderr: "",
    });
    runFix({ ...s, env }, fix);
    expect(await doctor(s, [], env)).toEqual({ code: 0, stdout: GREEN, stderr: "" });
  });

  it("a bare codecommit line with the program on PATH, as a GUI git with PATH=/usr/bin:/bin would run it: ✗, fixed by setup", async () => {
    const s = healthy();
    execFileSync("git", ["config", "--unset-all", "credential.helper"], { cwd: s.repo, env: s.env });
    execFileSync("git", ["config", "--add", "credential.helper", ""], { cwd: s.repo, env: s.env });
    execFileSync("git", ["config", "--add", "credential.helper", "codecommit --profile dev"], { cwd: s.repo, env: s.env });
    const fix = "git-credential-codecommit setup --profile dev";
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        HELPERS_OK.replace(BINARY, "codecommit") +
        PATH_OK +
        `✗ a git started from the Dock, the Start menu or an IDE (PATH=/usr/bin:/bin) cannot run the helper line "codecommit --profile dev": git: 'credential-codecommit' is not a git command. See 'git --help'.\n    fix: ${fix}\n` +
        AWS_OK +
        "1 problem found.\n",
      stderr: "",
    });
    runFix(s, fix);
    expect(await doctor(s)).toEqual({ code: 0, stdout: GREEN, stderr: "" });
  });

  it("a global helper, no UseHttpPath for its URLs: the fix is global too, for the helper's URL pattern", async () => {
    const s = healthy();
    helperSync(["setup", "--remove"], { cwd: s.repo, env: s.env });
    helperSync(["setup", "--global", "--profile", "dev"], { cwd: s.repo, env: s.env });
    execFileSync("git", ["config", "--global", "--unset", "credential.https://git-codecommit.*.amazonaws.com.UseHttpPath"], {
      cwd: s.repo,
      env: s.env,
    });
    const fix = "git config --global 'credential.https://git-codecommit.*.amazonaws.com.UseHttpPath' true";
    const globalHelpers = HELPERS_OK.replace("(local)", "(global)");
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        globalHelpers +
        `✗ credential.UseHttpPath is not true for this URL: git would not send the repository path, which the CodeCommit signature needs\n    fix: ${fix}\n` +
        BINARY_OK +
        AWS_OK +
        "1 problem found.\n",
      stderr: "",
    });
    runFix(s, fix);
    expect(await doctor(s)).toEqual({ code: 0, stdout: GREEN.replace(HELPERS_OK, globalHelpers), stderr: "" });
  });

  it("a misspelled profile on the helper line: ✗ naming the known ones, with the setup that picks the nearest", async () => {
    const s = healthy();
    s.world.writeConfig(
      [
        "[profile dev]",
        `aws_access_key_id = ${KEY_ID}`,
        `aws_secret_access_key = ${SECRET}`,
        "[profile prod]",
        "region = eu-west-1",
        "",
      ].join("\n"),
    );
    helperSync(["setup", "--profile", "devv"], { cwd: s.repo, env: s.env });
    const fix = "git-credential-codecommit setup --profile dev";
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        HELPERS_OK.replace("--profile dev", "--profile devv") +
        PATH_OK +
        BINARY_OK +
        `✗ the helper line names the AWS profile "devv", which is not in ${s.world.configFile} or ${s.world.credentialsFile}. Known profiles: "dev", "prod"\n    fix: ${fix}\n` +
        "1 problem found.\n",
      stderr: "",
    });
    runFix(s, fix);
    expect(await doctor(s)).toEqual({ code: 0, stdout: GREEN, stderr: "" });
  });

  it("clock skew: ✗ when STS's Date header is two hours off", async () => {
    const s = healthy();
    const env = { ...s.env, AWS_ENDPOINT_URL_STS: skewedSts.url };
    expect(await doctor(s, [], env)).toEqual({
      code: 1,
      stdout:
        HEAD +
        HELPERS_OK +
        PATH_OK +
        BINARY_OK +
        "✓ region eu-west-1 (from the host name)\n" +
        `✓ credentials from profile dev belong to ${STUB_USER_ARN} (account 111111111111)\n` +
        "✗ this computer's clock is 120 minutes ahead of STS: AWS refuses SigV4 signatures more than 5 minutes off, CodeCommit passwords included\n" +
        "    fix: sudo timedatectl set-ntp true\n    fix: sudo sntp -sS time.apple.com  # on macOS\n" +
        "1 problem found.\n",
      stderr: "",
    });
  });

  it("STS unreachable: ✗ naming the endpoint, within the bound", async () => {
    const s = healthy();
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    expect(await doctor(s, [], { ...s.env, AWS_ENDPOINT_URL_STS: endpoint })).toEqual({
      code: 1,
      stdout:
        HEAD +
        HELPERS_OK +
        PATH_OK +
        BINARY_OK +
        "✓ region eu-west-1 (from the host name)\n" +
        `✗ could not reach STS (${endpoint}) to check the credentials from profile dev: Error: connect ECONNREFUSED ${endpoint.slice("http://".length)}\n` +
        "    fix: check the network, HTTPS_PROXY/NO_PROXY and AWS_CA_BUNDLE, then run doctor again\n" +
        "1 problem found.\n",
      stderr: "",
    });
  });

  it.each([
    ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true", { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }, ""],
    ["the profile's ignore_configured_endpoint_urls = true", {}, "ignore_configured_endpoint_urls = true\n"],
  ])("%s: the STS check ignores AWS_ENDPOINT_URL_STS, as get does", async (_, extra, profileLine) => {
    const s = healthy();
    if (profileLine)
      s.world.writeConfig(["[profile dev]", `aws_access_key_id = ${KEY_ID}`, `aws_secret_access_key = ${SECRET}`, profileLine].join("\n"));
    // No interface is up in the namespace: the line names the host doctor tried.
    const r = await runCommand(["unshare", "-n", BINARY, "doctor"], { cwd: s.repo, env: { ...s.env, ...extra }, timeoutMs: 60_000 });
    expect(
      r.stdout
        .split("\n")
        .find((line) => line.startsWith("✗"))
        ?.split(": ")[0],
    ).toBe("✗ could not reach STS (https://sts.eu-west-1.amazonaws.com) to check the credentials from profile dev");
    expect(r.code).toBe(1);
  });

  it("an origin through the codecommit:: remote helper: only the AWS side, with the URL's profile", async () => {
    const s = healthy();
    execFileSync("git", ["remote", "set-url", "origin", "codecommit::eu-west-1://dev@demo"], { cwd: s.repo, env: s.env });
    expect(await doctor(s)).toEqual({
      code: 0,
      stdout:
        `Checking codecommit::eu-west-1://dev@demo (origin)\n${GIT_LINE}` +
        "✓ codecommit::eu-west-1://dev@demo is fetched through the codecommit:: remote helper, which sets up its credential helper itself\n" +
        REMOTE_OK +
        AWS_OK +
        "No problems found.\n",
      stderr: "",
    });
  });

  it("a codecommit:: origin with CODE_COMMIT_ENDPOINT: the remote helper's host, a region of its own", async () => {
    const s = healthy();
    execFileSync("git", ["remote", "set-url", "origin", "codecommit::eu-west-1://dev@demo"], { cwd: s.repo, env: s.env });
    expect(await doctor(s, [], { ...s.env, CODE_COMMIT_ENDPOINT: "codecommit.test.internal" })).toEqual({
      code: 0,
      stdout:
        `Checking codecommit::eu-west-1://dev@demo (origin)\n${GIT_LINE}` +
        "✓ codecommit::eu-west-1://dev@demo is fetched through the codecommit:: remote helper, which sets up its credential helper itself\n" +
        REMOTE_OK +
        AWS_OK.replace("(from the host name)", "(configured)") +
        "No problems found.\n",
      stderr: "",
    });
  });

  /** The healthy repository with a codecommit:: origin, the program installed by name in its own bin/ (no remote helper there). */
  function remoteSetup(): Setup & { bin: string; remoteHead: string } {
    const s = healthy();
    execFileSync("git", ["remote", "set-url", "origin", "codecommit::eu-west-1://dev@demo"], { cwd: s.repo, env: s.env });
    const bin = join(s.world.dir, "bin");
    mkdirSync(bin);
    symlinkSync(BINARY, join(bin, "git-credential-codecommit"));
    const env = { ...s.world.env, PATH: `${bin}:${bareToolsPath(s.world)}`, AWS_ENDPOINT_URL_STS: sts.endpoint };
    const remoteHead =
      `Checking codecommit::eu-west-1://dev@demo (origin)\n${GIT_LINE}` +
      "✓ codecommit::eu-west-1://dev@demo is fetched through the codecommit:: remote helper, which sets up its credential helper itself\n";
    return { ...s, env, bin, remoteHead };
  }

  it("a codecommit:: origin with no git-remote-codecommit on PATH: ✗, fixed by install-remote-helper", async () => {
    const s = remoteSetup();
    const fix = `git-credential-codecommit install-remote-helper ${s.bin}`;
    expect(await doctor(s, [], s.env, s.repo, "git-credential-codecommit")).toEqual({
      code: 1,
      stdout:
        s.remoteHead +
        `✗ git cannot find git-remote-codecommit on its PATH, so git fetch fails with "'remote-codecommit' is not a git command"\n    fix: ${fix}\n` +
        AWS_OK +
        "1 problem found.\n",
      stderr: "",
    });
    runFix(s, fix);
    expect(await doctor(s, [], s.env, s.repo, "git-credential-codecommit")).toEqual({
      code: 0,
      stdout: `${s.remoteHead}✓ git runs ${s.bin}/git-remote-codecommit for codecommit:: URLs: this program\n${AWS_OK}No problems found.\n`,
      stderr: "",
    });
  });

  it("a codecommit:: origin with another git-remote-codecommit (AWS's Python one) first on PATH: ✗, fixed by replacing it", async () => {
    const s = remoteSetup();
    symlinkSync(join(s.bin, "git-credential-codecommit"), join(s.bin, "git-remote-codecommit"));
    const py = join(s.world.dir, "py");
    mkdirSync(py);
    // A stand-in for pip's entry-point script: doctor must not run it.
    writeFileSync(join(py, "git-remote-codecommit"), `#!/bin/sh\ntouch ${join(py, "ran")}\nexit 1\n`, { mode: 0o755 });
    const env = { ...s.env, PATH: `${py}:${s.env.PATH}` };
    const fixes = [`rm ${py}/git-remote-codecommit`, `git-credential-codecommit install-remote-helper ${py}`];
    expect(await doctor(s, [], env, s.repo, "git-credential-codecommit")).toEqual({
      code: 1,
      stdout:
        s.remoteHead +
        `✗ git runs ${py}/git-remote-codecommit for codecommit:: URLs, which is not this program (AWS's Python git-remote-codecommit?): it comes first on PATH\n` +
        fixes.map((f) => `    fix: ${f}\n`).join("") +
        AWS_OK +
        "1 problem found.\n",
      stderr: "",
    });
    expect(existsSync(join(py, "ran"))).toBe(false);
    for (const fix of fixes) runFix({ ...s, env }, fix);
    expect(await doctor(s, [], env, s.repo, "git-credential-codecommit")).toEqual({
      code: 0,
      stdout: `${s.remoteHead}✓ git runs ${py}/git-remote-codecommit for codecommit:: URLs: this program\n${AWS_OK}No problems found.\n`,
      stderr: "",
    });
  });

  it("outside a repository without a URL: one line saying what to give", async () => {
    const s = healthy();
    expect(await doctor(s, [], s.env, s.world.dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: `git-credential-codecommit: ${s.world.dir} is not inside a git repository and no URL was given. Run doctor inside a clone, or give the URL: git-credential-codecommit doctor https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>\n`,
    });
  });
});

describe("doctor and the AWS CLI's caches", () => {
  const START_URL = "https://d-1234567890.awsapps.com/start";
  const SSO_CONFIG =
    "[profile sso]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Developer\n" +
    `[sso-session my-sso]\nsso_region = us-east-1\nsso_start_url = ${START_URL}\nsso_registration_scopes = sso:account:access\n` +
    `[profile legacy]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Developer\n`;
  const SSO_HELPERS = HELPERS_OK.replace("--profile dev", "--profile sso");
  const REGION = "✓ region eu-west-1 (from the host name)\n";
  const CALLER = `✓ credentials from profile sso belong to ${STUB_USER_ARN} (account 111111111111)\n✓ the clock agrees with STS (within a minute)\n`;
  beforeAll(async () => {
    oidc = await startOidcStub();
  });
  afterAll(async () => {
    await oidc?.close();
  });

  /** The healthy repository, set up for profile sso, with the stub as IAM Identity Center. */
  function ssoSetup(): Setup & { tokenFile: string } {
    const s = healthy();
    s.world.writeConfig(SSO_CONFIG);
    helperSync(["setup", "--profile", "sso"], { cwd: s.repo, env: s.env });
    const env: Record<string, string> = { ...s.env, AWS_ENDPOINT_URL_SSO_OIDC: oidc.url, AWS_ENDPOINT_URL_SSO: oidc.url };
    for (const name of ["DISPLAY", "WAYLAND_DISPLAY", "BROWSER"]) delete env[name];
    const dir = join(s.world.home, ".aws", "sso", "cache");
    mkdirSync(dir, { recursive: true });
    return { ...s, env, tokenFile: join(dir, `${createHash("sha1").update("my-sso").digest("hex")}.json`) };
  }

  /** A token file as the AWS CLI writes it, expiring `minutes` from now (whole minutes), with or without a refresh token. */
  function writeToken(file: string, minutes: number, refresh: boolean): string {
    const { clientId, clientSecret } = oidc.registerClient();
    const { accessToken, refreshToken } = oidc.issueToken(clientId);
    const expiresAt = new Date(Math.floor(Date.now() / 60_000 + minutes) * 60_000).toISOString().replace(".000Z", "Z");
    const registration = refresh ? { clientId, clientSecret, registrationExpiresAt: "2099-01-01T00:00:00Z", refreshToken } : {};
    writeFileSync(file, JSON.stringify({ startUrl: START_URL, region: "us-east-1", accessToken, expiresAt, ...registration }), {
      mode: 0o600,
    });
    return `${expiresAt.slice(0, 10)} ${expiresAt.slice(11, 16)} UTC`;
  }

  it("an SSO profile signed in: ✓ with the token's expiry", async () => {
    const s = ssoSetup();
    const until = writeToken(s.tokenFile, 8 * 60, true);
    expect(await doctor(s)).toEqual({
      code: 0,
      stdout:
        HEAD +
        SSO_HELPERS +
        PATH_OK +
        BINARY_OK +
        REGION +
        `✓ the SSO sign-in of profile sso is valid until ${until}, and renewable with its refresh token\n` +
        CALLER +
        "No problems found.\n",
      stderr: "",
    });
  });

  it("an expired SSO token with a refresh token: ✓, and the credentials resolve (renewed)", async () => {
    const s = ssoSetup();
    const at = writeToken(s.tokenFile, -60, true);
    expect(await doctor(s)).toEqual({
      code: 0,
      stdout:
        HEAD +
        SSO_HELPERS +
        PATH_OK +
        BINARY_OK +
        REGION +
        `✓ the SSO access token of profile sso expired at ${at}; git-credential-codecommit renews it with its refresh token\n` +
        CALLER +
        "No problems found.\n",
      stderr: "",
    });
  });

  it('an expired SSO token whose refresh IAM Identity Center refuses: the ✗ alone, no ✓ "renews it" above it', async () => {
    const s = ssoSetup();
    writeToken(s.tokenFile, -60, true);
    const token = JSON.parse(readFileSync(s.tokenFile, "utf8")) as Record<string, string>;
    writeFileSync(s.tokenFile, JSON.stringify({ ...token, refreshToken: "refresh-token-never-issued" }), { mode: 0o600 });
    const fix = "git-credential-codecommit login --profile sso";
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        SSO_HELPERS +
        PATH_OK +
        BINARY_OK +
        REGION +
        `✗ credentials from profile sso: the SSO session for profile sso has expired or was never started. Run "${fix}" (or "aws sso login --profile sso")\n    fix: ${fix}\n` +
        "1 problem found.\n",
      stderr: "",
    });
    await run("sh", ["-c", fix], { cwd: s.repo, env: s.env, timeout: 60_000 });
    const fixed = await doctor(s);
    expect(fixed.code, fixed.stdout).toBe(0);
  });

  it("an expired SSO sign-in that cannot be renewed: ✗ with login, which fixes it", async () => {
    const s = ssoSetup();
    const at = writeToken(s.tokenFile, -60, false);
    const fix = "git-credential-codecommit login --profile sso";
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        SSO_HELPERS +
        PATH_OK +
        BINARY_OK +
        REGION +
        `✗ the SSO sign-in of profile sso expired at ${at}, and has no refresh token to renew it\n    fix: ${fix}\n` +
        "1 problem found.\n",
      stderr: "",
    });
    // No display and no browser: login takes the device flow, which the stub (served by this
    // process, so not through the blocking runFix) approves at once.
    await run("sh", ["-c", fix], { cwd: s.repo, env: s.env, timeout: 60_000 });
    const fixed = await doctor(s);
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(fixed.stdout).toContain("✓ the SSO sign-in of profile sso is valid until ");
  });

  it("an SSO sign-in ending within 15 minutes that cannot be renewed: ⚠, not a failure", async () => {
    const s = ssoSetup();
    const until = writeToken(s.tokenFile, 6, false);
    expect(await doctor(s)).toEqual({
      code: 0,
      stdout:
        HEAD +
        SSO_HELPERS +
        PATH_OK +
        BINARY_OK +
        REGION +
        `⚠ the SSO sign-in of profile sso ends at ${until}, in less than 15 minutes, and has no refresh token to renew it\n    fix: git-credential-codecommit login --profile sso\n` +
        CALLER +
        "No problems found.\n",
      stderr: "",
    });
  });

  it("a legacy SSO profile never signed in: ✗ naming the token file", async () => {
    const s = ssoSetup();
    helperSync(["setup", "--profile", "legacy"], { cwd: s.repo, env: s.env });
    const file = join(s.world.home, ".aws", "sso", "cache", `${createHash("sha1").update(START_URL).digest("hex")}.json`);
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        SSO_HELPERS.replace("--profile sso", "--profile legacy") +
        PATH_OK +
        BINARY_OK +
        REGION +
        `✗ profile legacy has no IAM Identity Center (SSO) sign-in: no usable token in ${file}\n    fix: git-credential-codecommit login --profile legacy\n` +
        "1 problem found.\n",
      stderr: "",
    });
  });

  it("a token the portal no longer accepts: ✗ whose fix is login, not aws configure", async () => {
    const s = ssoSetup();
    const until = writeToken(s.tokenFile, 8 * 60, false);
    oidc.revokeAccessTokens();
    const fix = "git-credential-codecommit login --profile sso";
    expect(await doctor(s)).toEqual({
      code: 1,
      stdout:
        HEAD +
        SSO_HELPERS +
        PATH_OK +
        BINARY_OK +
        REGION +
        `✓ the SSO sign-in of profile sso is valid until ${until}\n` +
        `✗ credentials from profile sso: the SSO session for profile sso has expired or was never started. Run "${fix}" (or "aws sso login --profile sso")\n    fix: ${fix}\n` +
        "1 problem found.\n",
      stderr: "",
    });
  });

  it("a role-session cache others may write to, or holding entries not the user's: ⚠ with the fix", async () => {
    const s = healthy();
    s.world.writeConfig(
      [
        `[profile dev]`,
        `aws_access_key_id = ${KEY_ID}`,
        `aws_secret_access_key = ${SECRET}`,
        "[profile role]",
        "role_arn = arn:aws:iam::222222222222:role/developer",
        "source_profile = dev",
        "",
      ].join("\n"),
    );
    helperSync(["setup", "--profile", "role"], { cwd: s.repo, env: s.env });
    const cache = join(s.world.home, ".aws", "cli", "cache");
    const first = await doctor(s);
    expect(first.code, first.stdout).toBe(0);
    const roleArn = /✓ credentials from profile role belong to (\S+) \(account 222222222222\)\n/.exec(first.stdout)?.[1];
    expect(roleArn).toMatch(/^arn:aws:sts::222222222222:assumed-role\/developer\/botocore-session-\d+$/);
    const roleHead = HEAD + HELPERS_OK.replace("--profile dev", "--profile role") + PATH_OK + BINARY_OK + REGION;
    const roleTail = (stdout: string): string => stdout.slice(stdout.indexOf("✓ credentials from profile role"));
    // The role's session is cached now: the directory exists, with one entry of the user's.
    expect(first.stdout).toBe(roleHead + roleTail(first.stdout));
    expect(readdirSync(cache).filter((f) => f.endsWith(".json")).length).toBe(1);

    chmodSync(cache, 0o777);
    const chmod = `chmod o-w ${cache}`;
    const open = await doctor(s);
    expect(open.stdout).toBe(
      roleHead +
        `⚠ ${cache} is writable by other users: git-credential-codecommit ignores the role sessions cached there, so it asks STS (and any MFA device) every time\n    fix: ${chmod}\n` +
        roleTail(open.stdout),
    );
    expect(open.code).toBe(0);
    runFix(s, chmod);

    symlinkSync("/dev/null", join(cache, "b-link.json"));
    const planted = [join(cache, "b-link.json")];
    let why = "b-link.json (a symbolic link)";
    if (process.getuid?.() === 0) {
      writeFileSync(join(cache, "a-planted.json"), "{}");
      chownSync(join(cache, "a-planted.json"), 65534, 65534);
      planted.unshift(join(cache, "a-planted.json"));
      why = `a-planted.json (owned by uid 65534), ${why}`;
    }
    const rm = `rm -f ${planted.join(" ")}`;
    const foreign = await doctor(s);
    expect(foreign.stdout).toBe(
      roleHead +
        `⚠ ${cache} holds ${planted.length === 1 ? "an entry" : `${planted.length} entries`} that git-credential-codecommit ignores, not being regular files of yours: ${why}\n    fix: ${rm}\n` +
        roleTail(foreign.stdout),
    );
    runFix(s, rm);
    expect(planted.filter((f) => existsSync(f))).toEqual([]);
    const clean = await doctor(s);
    expect(clean.stdout).toBe(roleHead + roleTail(clean.stdout));
  });
});

describe("doctor --fix", () => {
  const HOST = "git-codecommit.eu-west-1.amazonaws.com";
  const erased = (helper: string, host = HOST): string => `  erased the password "${helper}" stores for ${host}, if it held one\n`;

  /** A stand-in for git-credential-osxkeychain on PATH: it records every request it gets. */
  function keychainStandIn(s: Setup): { env: Record<string, string>; log: string } {
    const dir = join(s.world.dir, "fake-keychain");
    mkdirSync(dir);
    const log = join(dir, "requests.log");
    writeFileSync(join(dir, "git-credential-osxkeychain"), `#!/bin/sh\n{ echo "$1"; cat; } >> '${log}'\n`, { mode: 0o755 });
    return { env: { ...s.env, PATH: `${dir}:${s.env.PATH}` }, log };
  }

  function gitIn(s: Setup, env: Record<string, string>, args: string[], input?: string): string {
    return execFileSync("git", args, { cwd: s.repo, env, encoding: "utf8", ...(input === undefined ? {} : { input }) });
  }

  it("sets the repository up and erases the URL host's stored passwords from store, cache and osxkeychain, leaving GitHub's", async () => {
    const s = healthy();
    const { env, log } = keychainStandIn(s);
    gitIn(s, env, ["config", "--unset-all", "credential.helper"]);
    for (const h of ["store", "cache --timeout 300", "osxkeychain", `${BINARY} --profile dev`])
      gitIn(s, env, ["config", "--add", "credential.helper", h]);
    const stored = join(s.world.home, ".git-credentials");
    writeFileSync(
      stored,
      `https://AKIAEXPIREDSTORED0001:20240101T000000Zdeadbeef@${HOST}/v1%2frepos%2fdemo\nhttps://github-user:github-token@github.com\n`,
    );
    try {
      // What cache holds after an earlier fetch, and a GitHub token beside it.
      gitIn(
        s,
        env,
        ["credential-cache", "store"],
        `protocol=https\nhost=${HOST}\nusername=AKIAEXPIREDCACHED001\npassword=20240101T000000Zcafe\n\n`,
      );
      gitIn(s, env, ["credential-cache", "store"], "protocol=https\nhost=github.com\nusername=github-user\npassword=github-token\n\n");
      const r = await doctor(s, ["--fix"], env);
      expect(r).toEqual({
        code: 0,
        stdout:
          "Applied the safe fixes:\n" +
          "  ran git-credential-codecommit setup\n" +
          `    Updated ${s.repo}/.git/config:\n` +
          "      credential.helper = (empty: drops the helpers set before it, which would store the 15-minute password)\n" +
          `      credential.helper = ${BINARY} --profile dev\n` +
          "      replaced credential.helper = store\n      replaced credential.helper = cache --timeout 300\n      replaced credential.helper = osxkeychain\n" +
          erased("store") +
          erased("cache --timeout 300") +
          erased("osxkeychain") +
          GREEN,
        stderr: "",
      });
      expect(readFileSync(stored, "utf8")).toBe("https://github-user:github-token@github.com\n");
      expect(gitIn(s, env, ["credential-cache", "get"], `protocol=https\nhost=${HOST}\n\n`)).toBe("");
      expect(gitIn(s, env, ["credential-cache", "get"], "protocol=https\nhost=github.com\n\n")).toBe(
        "username=github-user\npassword=github-token\n",
      );
      // One erase, for the diagnosed host only.
      expect(readFileSync(log, "utf8")).toBe(`erase\nprotocol=https\nhost=${HOST}\n`);
      // setup replaced those helpers: a second run has nothing left to fix.
      expect(await doctor(s, ["--fix"], env)).toEqual({ code: 0, stdout: `Nothing to fix that --fix may change.\n${GREEN}`, stderr: "" });
    } finally {
      spawnSync("git", ["credential-cache", "exit"], { cwd: s.repo, env });
    }
  });

  it("with setup --global in place: every CodeCommit host that store lists, never another host's", async () => {
    const s = healthy();
    // A storing helper of the whole machine, which setup's reset hides from CodeCommit URLs.
    execFileSync("git", ["config", "--global", "--add", "credential.helper", "store"], { cwd: s.world.dir, env: s.env });
    helperSync(["setup", "--global", "--profile", "dev"], { cwd: s.world.dir, env: s.env });
    const stored = join(s.world.home, ".git-credentials");
    writeFileSync(
      stored,
      `https://AKIAEXPIREDSTORED0001:20240101T000000Zdeadbeef@${HOST}\nhttps://github-user:github-token@github.com\nhttps://AKIAEXPIREDSTORED0002:20240101T000000Zfeed@git-codecommit.us-east-1.amazonaws.com\n`,
    );
    const r = await doctor(s, ["--fix", URL_], s.env, s.world.dir);
    expect(r).toEqual({
      code: 0,
      stdout:
        "Applied the safe fixes:\n" +
        erased("store") +
        erased("store", "git-codecommit.us-east-1.amazonaws.com") +
        GREEN.replace(" (origin)", "").replace(`"${BINARY} --profile dev" (local)`, `"${BINARY} --profile dev" (global)`),
      stderr: "",
    });
    expect(readFileSync(stored, "utf8")).toBe("https://github-user:github-token@github.com\n");
  });
});
