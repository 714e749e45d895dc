/**
 * Proxies and private CAs as the AWS CLI uses them (README, "Proxies and certificates"), in both the native
 * binary and the npm bin under Node: each case runs in a loopback-only network namespace where STS
 * (`sts.us-east-1.amazonaws.com`, a stub behind TLS from a throw-away CA) is reachable only through
 * a CONNECT proxy (test/support/netns-sts.ts).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { runNetnsCase } from "../support/netns-run.js";
import type { NetnsCase, NetnsResult } from "../support/netns-sts.js";
import { BINARY, NODE_BIN } from "../support/run-binary.js";
import { type CertificateFiles, makeCertificate } from "../support/tls.js";

const REQUEST = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";
const SECRET = "base-secret-do-not-print-1234567890";
const BASE = `[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = ${SECRET}\n`;
const ROLE = "arn:aws:iam::222222222222:role/dev";
const CROSS = `[profile cross]\nrole_arn = ${ROLE}\nsource_profile = base\n`;

let certDir: string;
let cert: CertificateFiles;
/** A CA that signed nothing STS presents. */
let otherCa: string;
let world: IsolatedEnv;

beforeAll(() => {
  // The namespace needs root (or user namespaces); without it this suite cannot prove anything.
  execFileSync("unshare", ["-n", "true"]);
  certDir = mkdtempSync(join(tmpdir(), "gcc-proxy-ca-"));
  cert = makeCertificate(certDir, ["sts.us-east-1.amazonaws.com", "portal.sso.us-east-1.amazonaws.com", "localhost"]);
  const other = join(certDir, "other");
  mkdirSync(other);
  otherCa = makeCertificate(other, ["elsewhere.example"]).caFile;
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));
beforeEach(() => {
  world = isolatedEnv();
});
afterEach(() => world.cleanup());

/** One `get` for `--profile cross` inside the namespace. */
function runInNetns(node: boolean, env: Record<string, string>, profile = "cross"): Promise<NetnsResult> {
  const command = node ? [process.execPath, NODE_BIN, "--profile", profile, "get"] : [BINARY, "--profile", profile, "get"];
  const c: NetnsCase = { certFile: cert.certFile, keyFile: cert.keyFile, command, env: { ...world.env, ...env }, stdin: REQUEST };
  return runNetnsCase(c, 30_000);
}

function expectAnswer(r: NetnsResult): void {
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^username=ASIA[A-Z0-9]{16}%[^\n]+\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\npassword_expiry_utc=\d+\n$/);
}

function expectFailure(r: NetnsResult, line: string): void {
  expect(r.stderr).toBe(`git-credential-codecommit: ${line}\n`);
  expect(r.stdout).toBe("quit=1\n");
  expect(r.code).toBe(1);
  expect(r.stderr).not.toContain(SECRET);
}

describe.each([
  ["the native binary", false],
  ["the npm bin under node", true],
])("proxies and private CAs: %s", (_name, node) => {
  it("HTTPS_PROXY tunnels STS with CONNECT, trusting the CA from AWS_CA_BUNDLE", async () => {
    world.writeConfig(BASE + CROSS);
    const r = await runInNetns(node, { HTTPS_PROXY: "{proxy}", AWS_CA_BUNDLE: cert.caFile });
    expectAnswer(r);
    expect(r.connects).toEqual(["sts.us-east-1.amazonaws.com:443"]);
    expect(r.stsActions).toEqual(["AssumeRole"]);
  });

  // Bun loads the system's OpenSSL store (SSL_CERT_FILE on Linux) besides its bundled roots, so a
  // TLS-inspecting proxy whose CA IT installed works without settings; Node 20 reads only its own
  // bundle there (unless started with --use-openssl-ca), as the README says.
  it(`without AWS_CA_BUNDLE: ${node ? "does not trust" : "trusts"} a CA the system adds (SSL_CERT_FILE)`, async () => {
    world.writeConfig(BASE + CROSS);
    const r = await runInNetns(node, { HTTPS_PROXY: "{proxy}", SSL_CERT_FILE: cert.caFile });
    if (node) expect(r.stderr).toContain("is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)");
    else expectAnswer(r);
  });

  it("without AWS_CA_BUNDLE: trusts NODE_EXTRA_CA_CERTS", async () => {
    world.writeConfig(BASE + CROSS);
    const r = await runInNetns(node, { HTTPS_PROXY: "{proxy}", NODE_EXTRA_CA_CERTS: cert.caFile });
    expectAnswer(r);
  });

  it("with AWS_CA_BUNDLE: only the bundle, not the system's CAs", async () => {
    world.writeConfig(BASE + CROSS);
    const r = await runInNetns(node, {
      HTTPS_PROXY: "{proxy}",
      SSL_CERT_FILE: cert.caFile,
      NODE_EXTRA_CA_CERTS: cert.caFile,
      AWS_CA_BUNDLE: otherCa,
    });
    expect(r.stderr).toMatch(
      /is not trusted \((UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/,
    );
    expect(r.code).toBe(1);
  });

  it("https_proxy with the CA from the profile's ca_bundle", async () => {
    world.writeConfig(`${BASE}${CROSS}ca_bundle = ${cert.caFile}\n`);
    const r = await runInNetns(node, { https_proxy: "{proxy}" });
    expectAnswer(r);
    expect(r.connects).toEqual(["sts.us-east-1.amazonaws.com:443"]);
  });

  it("a proxy with user and password: authenticates, and neither DEBUG=* nor a message shows the password", async () => {
    world.writeConfig(BASE + CROSS);
    const password = "proxy-pw-0123456789";
    const r = await runInNetns(node, { HTTPS_PROXY: `http://alice:${password}@{proxyhost}`, AWS_CA_BUNDLE: cert.caFile, DEBUG: "*" });
    expectAnswer(r);
    expect(r.proxyAuth).toEqual([`Basic ${Buffer.from(`alice:${password}`).toString("base64")}`]);
  });

  it("SSO GetRoleCredentials goes through the proxy too", async () => {
    world.writeConfig(
      "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n" +
        "[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://d-1234567890.awsapps.com/start\n",
    );
    const tokenDir = join(world.home, ".aws", "sso", "cache");
    mkdirSync(tokenDir, { recursive: true });
    writeFileSync(
      join(tokenDir, `${createHash("sha1").update("corp").digest("hex")}.json`),
      JSON.stringify({ accessToken: "sso-access-token-0123456789", expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    const r = await runInNetns(node, { HTTPS_PROXY: "{proxy}", AWS_CA_BUNDLE: cert.caFile }, "sso");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^username=ASIASSOVIAPROXY00001%sso-token-0123456789\n/);
    expect(r.connects).toEqual(["portal.sso.us-east-1.amazonaws.com:443"]);
    expect(r.ssoCalls).toEqual(["portal.sso.us-east-1.amazonaws.com /federation/credentials?account_id=123456789012&role_name=Developer"]);
  });

  it("HTTP_PROXY carries a plain-http STS endpoint (absolute-form request, no CONNECT)", async () => {
    world.writeConfig(BASE + CROSS);
    const r = await runInNetns(node, { HTTP_PROXY: "{proxy}", HTTPS_PROXY: "{refused}", AWS_ENDPOINT_URL_STS: "http://sts.internal" });
    expectAnswer(r);
    expect(r.connects).toEqual(["POST http://sts.internal/"]);
    expect(r.stsActions).toEqual(["AssumeRole"]);
  });

  it("NO_PROXY: a listed host is reached directly, not through the proxy", async () => {
    world.writeConfig(BASE + CROSS);
    const r = await runInNetns(node, {
      HTTPS_PROXY: "{proxy}",
      NO_PROXY: "example.org,localhost",
      AWS_CA_BUNDLE: cert.caFile,
      AWS_ENDPOINT_URL_STS: "https://localhost:{tls}",
    });
    expectAnswer(r);
    expect(r.connects).toEqual([]);
    expect(r.stsActions).toEqual(["AssumeRole"]);
  });

  it("a proxy that refuses connections: one line naming the proxy", async () => {
    world.writeConfig(BASE + CROSS);
    const r = await runInNetns(node, { HTTPS_PROXY: "{refused}", AWS_CA_BUNDLE: cert.caFile });
    expectFailure(
      r,
      `the proxy http://127.0.0.1:${r.refusedPort} (HTTPS_PROXY) could not be used to reach STS at sts.us-east-1.amazonaws.com for profile cross role ${ROLE}: connection refused. Check that the proxy is running and HTTPS_PROXY/NO_PROXY are right`,
    );
  });

  it("without the private CA: the certificate is not trusted, and the message names the proxy in effect", async () => {
    world.writeConfig(BASE + CROSS);
    const r = await runInNetns(node, { HTTPS_PROXY: "{proxy}" });
    expect(r.connects).toEqual(["sts.us-east-1.amazonaws.com:443"]);
    expect(r.stdout).toBe("quit=1\n");
    expect(r.stderr).toMatch(
      new RegExp(
        `^git-credential-codecommit: the TLS certificate of STS at sts\\.us-east-1\\.amazonaws\\.com is not trusted \\((UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\\) for profile cross role ${ROLE.replace(/[/:]/g, "\\$&")}, through proxy http://127\\.0\\.0\\.1:${r.proxyPort} \\(HTTPS_PROXY\\)\\. If your network inspects TLS, set AWS_CA_BUNDLE \\(or ca_bundle in the profile\\) to its CA bundle\\n$`,
      ),
    );
  });

  it("a CA bundle that does not exist: one line naming the setting", async () => {
    world.writeConfig(BASE + CROSS);
    const missing = join(world.dir, "no-such-ca.pem");
    const r = await runInNetns(node, { HTTPS_PROXY: "{proxy}", AWS_CA_BUNDLE: missing });
    expectFailure(
      r,
      `the CA bundle ${missing} given by AWS_CA_BUNDLE cannot be read (ENOENT). Point AWS_CA_BUNDLE at a readable PEM file, or unset it`,
    );
    expect(r.connects).toEqual([]);
  });
});
