/**
 * Behind a corporate proxy with a private CA, every command talks to AWS the way `get` does: `login`
 * (device code and authorization code with PKCE), `doctor`, `clone` and the remote helper, in the
 * native binary and in the npm bin under Node. Each case runs in a loopback-only network namespace
 * (test/support/netns-sts.ts) where IAM Identity Center OIDC, the SSO portal, STS and CodeCommit's
 * git endpoint exist only under their real host names, behind TLS from throw-away CAs, reachable
 * only through a CONNECT proxy: no AWS_ENDPOINT_URL* variable is set, so the proxy and the CA are
 * what connect them. (git itself reaches CodeCommit through the same proxy and trusts the git
 * server's CA through GIT_SSL_CAINFO, its own setting.)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { runNetnsCase } from "../support/netns-run.js";
import type { NetnsResult } from "../support/netns-sts.js";
import { BINARY, NODE_BIN, ROOT } from "../support/run-binary.js";
import { type CertificateFiles, makeCertificate } from "../support/tls.js";

const START_URL = "https://d-1234567890.awsapps.com/start";
const SSO = `[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = ${START_URL}\nsso_registration_scopes = sso:account:access\n`;
const LEGACY_SSO = `[profile legacy]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Developer\n`;
const BASE = "[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base-secret-do-not-print-1234567890\n";
const ROLE = "arn:aws:iam::222222222222:role/dev";
const CROSS = `[profile cross]\nrole_arn = ${ROLE}\nsource_profile = base\n`;
const REPO_URL = "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo";
const OIDC = "oidc.us-east-1.amazonaws.com:443";
const STS = "sts.us-east-1.amazonaws.com:443";
const GIT = "git-codecommit.us-east-1.amazonaws.com:443";
const LOGGED_IN = new RegExp(
  `^Logged in to ${START_URL.replace(/[./]/g, "\\$&")} for profile (sso|legacy); the SSO session is valid until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\.\\n$`,
);

let certDir: string;
let cert: CertificateFiles;
let world: IsolatedEnv;

beforeAll(() => {
  // The namespace needs root (or user namespaces); without it this suite cannot prove anything.
  execFileSync("unshare", ["-n", "true"]);
  certDir = mkdtempSync(join(tmpdir(), "gcc-proxy-ca-"));
  cert = makeCertificate(certDir, [
    "sts.us-east-1.amazonaws.com",
    "portal.sso.us-east-1.amazonaws.com",
    "oidc.us-east-1.amazonaws.com",
    "localhost",
  ]);
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));
beforeEach(() => {
  world = isolatedEnv();
});
afterEach(() => world.cleanup());

/** The program as the runtime under test starts it. */
function program(node: boolean): string[] {
  return node ? [process.execPath, NODE_BIN] : [BINARY];
}

/** Runs `command` in the namespace with the world's environment plus `env`, without a display or browser. */
function inNetns(
  command: string[],
  env: Record<string, string>,
  extra: { cwd?: string; browser?: "approve"; gitServer?: boolean } = {},
): Promise<NetnsResult> {
  const all: Record<string, string> = { ...world.env, ...env };
  for (const name of ["DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "SSH_CONNECTION", "GIT_SSL_CAINFO"]) if (!(name in env)) delete all[name];
  return runNetnsCase({ certFile: cert.certFile, keyFile: cert.keyFile, command, env: all, stdin: "", ...extra });
}

/** The token file login wrote, as the AWS CLI names it (sha1 of the session name, or of the start URL). */
function tokenFiles(): string[] {
  try {
    return execFileSync("ls", [join(world.home, ".aws", "sso", "cache")], { encoding: "utf8" })
      .trim()
      .split("\n");
  } catch {
    return [];
  }
}

describe.each([
  ["the native binary", false],
  ["the npm bin under node", true],
])("every command through a CONNECT proxy with a private CA: %s", (_name, node) => {
  it("login with a device code: OIDC through HTTPS_PROXY, trusting AWS_CA_BUNDLE", async () => {
    world.writeConfig(LEGACY_SSO);
    const r = await inNetns([...program(node), "login", "--profile", "legacy"], { HTTPS_PROXY: "{proxy}", AWS_CA_BUNDLE: cert.caFile });
    expect(r.stderr).toBe("Profile legacy uses the legacy sso_start_url setting: signing in with a device code.\n");
    expect(r.stdout).toMatch(LOGGED_IN);
    expect(r.code).toBe(0);
    expect(r.oidcCalls).toEqual(["RegisterClient", "StartDeviceAuthorization", "CreateToken device_code → approve"]);
    expect([...new Set(r.connects)]).toEqual([OIDC]);
    // The token, and the client registration it names.
    expect(tokenFiles()).toHaveLength(2);
  });

  it("login with the authorization code and PKCE: OIDC through https_proxy, trusting the profile's ca_bundle", async () => {
    world.writeConfig(SSO.replace("[sso-session corp]", `ca_bundle = ${cert.caFile}\n[sso-session corp]`));
    const r = await inNetns(
      [...program(node), "login", "--profile", "sso", "--no-browser"],
      { https_proxy: "{proxy}" },
      { browser: "approve" },
    );
    expect(r.stdout).toMatch(LOGGED_IN);
    expect(r.code).toBe(0);
    expect(r.oidcCalls).toEqual(["RegisterClient", "Authorize → sign-in page", "Authorize approve", "CreateToken authorization_code → ok"]);
    expect([...new Set(r.connects)]).toEqual([OIDC]);
  });

  it("login without the private CA: the certificate is not trusted, in one line", async () => {
    world.writeConfig(LEGACY_SSO);
    const r = await inNetns([...program(node), "login", "--profile", "legacy"], { HTTPS_PROXY: "{proxy}" });
    expect(r.code).toBe(1);
    expect(r.connects).toEqual([OIDC]);
    expect(r.stderr.split("\n").at(-2)).toMatch(
      new RegExp(
        `^git-credential-codecommit: the TLS certificate of IAM Identity Center \\(OIDC\\) at oidc\\.us-east-1\\.amazonaws\\.com is not trusted \\([A-Z_]+\\) for profile legacy, through proxy http://127\\.0\\.0\\.1:${r.proxyPort} \\(HTTPS_PROXY\\)\\. If your network inspects TLS, set AWS_CA_BUNDLE \\(or ca_bundle in the profile\\) to its CA bundle$`,
      ),
    );
  });

  it("doctor: the role's AssumeRole and its GetCallerIdentity both go through the proxy, trusting AWS_CA_BUNDLE", async () => {
    world.writeConfig(BASE + CROSS);
    const repo = repository("cross");
    const r = await inNetns([...program(node), "doctor"], { HTTPS_PROXY: "{proxy}", AWS_CA_BUNDLE: cert.caFile }, { cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("✓ region us-east-1 (from the host name)\n");
    expect(r.stdout).toMatch(
      /^✓ credentials from profile cross belong to arn:aws:sts::222222222222:assumed-role\/dev\/botocore-session-\d+ \(account 222222222222\)$/m,
    );
    expect(r.stdout).toContain("✓ the clock agrees with STS (within a minute)\n");
    expect(r.stsActions).toEqual(["AssumeRole", "GetCallerIdentity"]);
    expect(r.connects).toEqual([STS, STS]);
  });

  it("doctor without the private CA: ✗ naming the proxy in effect and the CA setting that fixes it", async () => {
    world.writeConfig(BASE);
    const repo = repository("base");
    const r = await inNetns([...program(node), "doctor"], { HTTPS_PROXY: "{proxy}" }, { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.connects).toEqual([STS]);
    expect(r.stdout).toMatch(
      new RegExp(
        `^✗ the TLS certificate of STS \\(https://sts\\.us-east-1\\.amazonaws\\.com, through proxy http://127\\.0\\.0\\.1:${r.proxyPort} \\(HTTPS_PROXY\\)\\) is not trusted \\([A-Z_]+\\), so the credentials from profile base could not be checked\\n    fix: if your network inspects TLS, set AWS_CA_BUNDLE \\(or ca_bundle in the profile\\) to its CA bundle$`,
        "m",
      ),
    );
  });

  it("clone: git and the helper runs it starts reach CodeCommit and STS through the proxy", async () => {
    world.writeConfig(BASE + CROSS);
    const env = {
      HTTPS_PROXY: "{proxy}",
      AWS_CA_BUNDLE: cert.caFile,
      GIT_SSL_CAINFO: "{gitca}",
      PATH: `${installed(node)}:${world.env.PATH}`,
    };
    const r = await inNetns([...program(node), "clone", "--profile", "cross", REPO_URL, "copy"], env, { cwd: world.dir, gitServer: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stsActions).toEqual(["AssumeRole"]);
    expect(r.connects).toContain(STS);
    expect(r.connects).toContain(GIT);
    expect(r.gitRequests).toContain("GET /v1/repos/demo/info/refs 200");
    expect(readFileSync(join(world.dir, "copy", ".git", "config"), "utf8")).toContain(`url = ${REPO_URL}`);
  });

  it("the remote helper: git clone codecommit::REGION://PROFILE@REPO reaches CodeCommit and STS through the proxy", async () => {
    world.writeConfig(BASE + CROSS);
    const env = {
      HTTPS_PROXY: "{proxy}",
      AWS_CA_BUNDLE: cert.caFile,
      GIT_SSL_CAINFO: "{gitca}",
      PATH: `${installed(node)}:${world.env.PATH}`,
    };
    const r = await inNetns(["git", "clone", "codecommit::us-east-1://cross@demo", "copy"], env, { cwd: world.dir, gitServer: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stsActions).toEqual(["AssumeRole"]);
    expect(r.connects).toContain(STS);
    expect(r.connects).toContain(GIT);
    expect(r.gitRequests).toContain("GET /v1/repos/demo/info/refs 200");
  });
});

/**
 * A directory with the two commands git runs, as `npm install -g` links the npm bin (under node) or
 * as a release installs the binary and its link: for the helper line `codecommit` and for
 * `codecommit::` URLs.
 */
function installed(node: boolean): string {
  const bin = join(world.dir, "bin");
  mkdirSync(bin);
  for (const name of ["git-credential-codecommit", "git-remote-codecommit"]) symlinkSync(node ? NODE_BIN : BINARY, join(bin, name));
  return bin;
}

/** A repository whose origin is the CodeCommit URL, set up (outside the namespace) for `profile`. */
function repository(profile: string): string {
  const repo = join(world.dir, "repo");
  mkdirSync(repo);
  const env = { ...world.env, PATH: `${join(ROOT, "dist")}:${world.env.PATH}` };
  execFileSync("git", ["init", "-q"], { cwd: repo, env });
  execFileSync("git", ["remote", "add", "origin", REPO_URL], { cwd: repo, env });
  execFileSync(BINARY, ["setup", "--profile", profile], { cwd: repo, env, stdio: "ignore" });
  return repo;
}
