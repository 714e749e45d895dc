/**
 * `git-credential-codecommit login` and SSO tokens in `get`, end to end: the built binary against a
 * local IAM Identity Center (test/support/oidc-stub.ts), the files it writes checked byte for byte
 * against Python's json.dumps and read back by botocore itself, then `get` and a real `git clone`.
 */
import { execFile, spawn } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitServer } from "../support/git-server.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { freePort } from "../support/loopback.js";
import { expectNoSecrets } from "../support/no-secrets.js";
import { scriptedBrowser, startOidcStub, type OidcStub, type OidcStubOptions } from "../support/oidc-stub.js";
import { BINARY, runCommand, runHelper as runBinary, type RunOptions } from "../support/run-binary.js";
import { audited } from "../support/secret-audit.js";

const execFileAsync = promisify(execFile);
const START_URL = "https://d-1234567890.awsapps.com/start";
const CONFIG =
  "[profile sso]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = us-east-1\n" +
  `[sso-session my-sso]\nsso_region = us-east-1\nsso_start_url = ${START_URL}\nsso_registration_scopes = sso:account:access\n` +
  `[profile legacy]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Developer\n`;
/** botocore's token file name for the session, and the registration's (sha1 of its sorted json.dumps). */
const TOKEN_FILE = `${sha1("my-sso")}.json`;
const REGISTRATION_FILE = `${sha1(`{"region": "us-east-1", "scopes": ["sso:account:access"], "session_name": "my-sso", "startUrl": "${START_URL}", "tool": "botocore"}`)}.json`;
const TOKEN_KEYS = ["startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"];
const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let world: IsolatedEnv;
let stub: OidcStub | undefined;
let cacheDir: string;

beforeEach(() => {
  world = isolatedEnv();
  world.writeConfig(CONFIG);
  cacheDir = join(world.home, ".aws", "sso", "cache");
});

afterEach(async () => {
  await stub?.close();
  stub = undefined;
  world.cleanup();
});

/** runHelper, with every token and secret the OIDC/SSO stub handed out audited too (secret-audit.ts). */
const runHelper = (args: readonly string[], opts: RunOptions) => runBinary(args, { ...opts, peers: stub ? [stub] : [] });

async function startStub(options: OidcStubOptions = {}): Promise<OidcStub> {
  stub = await startOidcStub(options);
  return stub;
}

/** The test's environment: the stub as OIDC and SSO endpoint, no display, no browser, no SSH. */
function envFor(s: OidcStub, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...world.env, AWS_ENDPOINT_URL_SSO_OIDC: s.url, AWS_ENDPOINT_URL_SSO: s.url, ...extra };
  for (const name of ["DISPLAY", "WAYLAND_DISPLAY", "BROWSER"]) if (!(name in extra)) delete env[name];
  return env;
}

interface Running {
  /** Resolves with the first match of `pattern` in stderr so far or to come. */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts the binary and lets the test read its stderr while it waits (for the URL, say). */
function start(args: string[], env: Record<string, string>): Running {
  const child = spawn(BINARY, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = w.pattern.exec(stderr);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
    check();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const done = audited(
    { env, peers: stub ? [stub] : [], label: args.join(" ") },
    () =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stdout, stderr });
        }),
      ),
  );
  return {
    waitForStderr: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void done.then(() => reject(new Error(`exited before stderr matched ${pattern}: ${stderr}`)));
      }),
    done,
    kill: (signal) => child.kill(signal),
  };
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** What Python's json.dumps makes of the file's own content: equal bytes mean "written as the CLI writes". */
async function pythonDumps(file: string): Promise<string> {
  const { stdout } = await execFileAsync("python3", [
    "-c",
    "import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1]))))",
    file,
  ]);
  return stdout;
}

/** botocore's own SSOTokenLoader reading the cache: the access token it finds for the session. */
async function botocoreToken(env: Record<string, string>): Promise<string> {
  const code =
    "import os,sys; from botocore.utils import SSOTokenLoader, JSONFileCache; " +
    "sys.stdout.write(SSOTokenLoader(JSONFileCache(sys.argv[1]))(sys.argv[2], session_name='my-sso')['accessToken'])";
  const { stdout } = await execFileAsync("python3", ["-c", code, cacheDir, START_URL], { env });
  return stdout;
}

async function expectCliFormat(file: string, keys: string[]): Promise<void> {
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(Object.keys(readJson(file))).toEqual(keys);
  expect(readFileSync(file, "utf8")).toBe(await pythonDumps(file));
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}

async function get(profile: string, env: Record<string, string>) {
  return runHelper(["--profile", profile, "get"], {
    env,
    stdin: "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n",
  });
}

describe("login with the device code flow", () => {
  it("polls through authorization_pending and slow_down, then writes token and registration as the AWS CLI does", async () => {
    const s = await startStub({ deviceSteps: ["authorization_pending", "slow_down", "approve"], interval: 1 });
    const env = envFor(s);
    const result = await runHelper(["login", "--profile", "sso", "--use-device-code"], { env, timeoutMs: 60_000 });
    expect(result.stderr).toContain(
      `open this URL in a browser on any device:\n\n  ${s.url}/device\n\nand enter the code:\n\n  WXYZ-1234\n`,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(s.calls).toEqual([
      "RegisterClient",
      "StartDeviceAuthorization",
      "CreateToken device_code → authorization_pending",
      "CreateToken device_code → slow_down",
      "CreateToken device_code → approve",
    ]);
    // After slow_down the interval grows from 1 s by 5 s (RFC 8628): a lower bound, never a speed test.
    expect((s.pollTimes[2] as number) - (s.pollTimes[1] as number)).toBeGreaterThanOrEqual(5_900);
    expect(s.registrations).toEqual([
      { clientName: "git-credential-codecommit-my-sso", clientType: "public", scopes: ["sso:account:access"] },
    ]);

    expect(readdirSync(cacheDir).sort()).toEqual([REGISTRATION_FILE, TOKEN_FILE].sort());
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    const registration = readJson(join(cacheDir, REGISTRATION_FILE));
    await expectCliFormat(join(cacheDir, REGISTRATION_FILE), ["clientId", "clientSecret", "expiresAt", "scopes"]);
    const token = readJson(join(cacheDir, TOKEN_FILE));
    await expectCliFormat(join(cacheDir, TOKEN_FILE), TOKEN_KEYS);
    expect(token.startUrl).toBe(START_URL);
    expect(token.region).toBe("us-east-1");
    expect(token.clientId).toBe(registration.clientId);
    expect(token.clientSecret).toBe(registration.clientSecret);
    expect(token.registrationExpiresAt).toBe(registration.expiresAt);
    expect(token.expiresAt).toMatch(UTC_SECONDS);
    expect(result.stdout).toBe(`Logged in to ${START_URL} for profile sso; the SSO session is valid until ${String(token.expiresAt)}.\n`);
    expect(await botocoreToken(env)).toBe(token.accessToken);
  }, 90_000);

  it("is chosen by itself when no browser can be opened, and reuses a valid registration", async () => {
    const s = await startStub();
    const env = envFor(s);
    const first = await runHelper(["login", "--profile", "sso"], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr.split("\n")[0]).toBe(
      "No browser can be opened here (no display, or an SSH session): signing in with a device code.",
    );
    // An SSH session: a display there would show the browser on the wrong machine.
    const second = await runHelper(["login", "--profile", "sso"], {
      env: { ...env, DISPLAY: ":0", SSH_CONNECTION: "10.0.0.1 22 10.0.0.2 22" },
    });
    expect(second.code, second.stderr).toBe(0);
    expect(s.calls.filter((c) => c === "RegisterClient")).toHaveLength(1);
    expect(s.calls.filter((c) => c === "StartDeviceAuthorization")).toHaveLength(2);
  });

  it("a legacy sso_start_url profile signs in with a device code under the start URL's file name", async () => {
    const s = await startStub();
    const result = await runHelper(["login", "--profile", "legacy", "--no-browser"], { env: envFor(s) });
    expect(result.code, result.stderr).toBe(0);
    const legacyRegistration = `${sha1(`{"region": "us-east-1", "scopes": null, "session_name": null, "startUrl": "${START_URL}", "tool": "botocore"}`)}.json`;
    expect(readdirSync(cacheDir).sort()).toEqual([legacyRegistration, `${sha1(START_URL)}.json`].sort());
    await expectCliFormat(join(cacheDir, legacyRegistration), ["clientId", "clientSecret", "expiresAt"]);
    await expectCliFormat(join(cacheDir, `${sha1(START_URL)}.json`), TOKEN_KEYS);
  });

  for (const [step, line] of [
    [
      "expired_token",
      'git-credential-codecommit: the sign-in was not approved before its code expired. Run "git-credential-codecommit login --profile sso" again and approve it in the browser',
    ],
    [
      "access_denied",
      "git-credential-codecommit: the sign-in for profile sso was denied. Approve the request in the browser, or ask your IAM Identity Center administrator for access",
    ],
  ] as const) {
    it(`fails in one line on ${step} and writes nothing`, async () => {
      const s = await startStub({ deviceSteps: ["authorization_pending", step] });
      const result = await runHelper(["login", "--profile", "sso", "--use-device-code"], { env: envFor(s) });
      expect(result.code).toBe(1);
      expect(lastLine(result.stderr)).toBe(line);
      expect(result.stdout).toBe("");
      expect(existsSync(cacheDir)).toBe(false);
    });
  }

  it("without --profile signs in the profile get would use: AWS_DEFAULT_PROFILE before AWS_PROFILE, as botocore", async () => {
    world.writeConfig(`${CONFIG}[profile base]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = not-a-real-secret-key\n`);
    const s = await startStub();
    const env = envFor(s, { AWS_DEFAULT_PROFILE: "sso", AWS_PROFILE: "base" });
    const result = await runHelper(["login", "--use-device-code"], { env });
    expect(result.code, result.stderr).toBe(0);
    const token = readJson(join(cacheDir, TOKEN_FILE));
    expect(result.stdout).toBe(`Logged in to ${START_URL} for profile sso; the SSO session is valid until ${String(token.expiresAt)}.\n`);
    // get, with the same environment and no --profile, uses the session just signed in.
    const answer = await runHelper(["get"], {
      env,
      stdin: "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n",
    });
    expect(answer.code, answer.stderr).toBe(0);
    expect(answer.stdout.split("\n")[0]).toMatch(/^username=ASIA/);
  });

  it("refuses a profile that is not configured for SSO, in one line", async () => {
    world.writeConfig(
      `${CONFIG}[profile keys]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = not-a-real-secret-key\n[profile broken]\nsso_session = nowhere\n`,
    );
    const s = await startStub();
    const keys = await runHelper(["login", "--profile", "keys"], { env: envFor(s) });
    expect([keys.code, keys.stderr]).toEqual([
      1,
      'git-credential-codecommit: profile keys is not configured for IAM Identity Center (SSO): it has neither sso_session nor sso_start_url and sso_region. Configure it with "aws configure sso --profile keys" or by hand (see the README\'s SSO section)\n',
    ]);
    const broken = await runHelper(["login", "--profile", "broken"], { env: envFor(s) });
    expect([broken.code, broken.stderr]).toEqual([
      1,
      `git-credential-codecommit: profile broken names sso_session "nowhere", but ${world.configFile} has no [sso-session nowhere] section. Add that section with sso_start_url and sso_region\n`,
    ]);
    expect(s.calls).toEqual([]);
  });

  it("fails in one line when the OIDC endpoint is unreachable", async () => {
    const port = await freePort();
    const s = await startStub();
    const result = await runHelper(["login", "--profile", "sso", "--use-device-code"], {
      env: envFor(s, { AWS_ENDPOINT_URL_SSO_OIDC: `http://127.0.0.1:${port}` }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `git-credential-codecommit: could not reach IAM Identity Center (OIDC) at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}. Check the network, proxy and endpoint settings, then try again\n`,
    );
  });
});

describe("login and configured endpoints", () => {
  it.each([
    ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true", CONFIG, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }],
    [
      "the profile's ignore_configured_endpoint_urls = true",
      CONFIG.replace("region = us-east-1\n", "region = us-east-1\nignore_configured_endpoint_urls = true\n"),
      {},
    ],
  ])("%s: the stub at AWS_ENDPOINT_URL_SSO_OIDC is ignored for the real OIDC host", async (_, config, extra) => {
    world.writeConfig(config);
    const s = await startStub();
    // No interface is up in the namespace: the error names the host the helper tried.
    const result = await runHelper(["login", "--profile", "sso", "--use-device-code"], { env: envFor(s, extra), wrap: ["unshare", "-n"] });
    expect([result.code, result.stderr.split(": getaddrinfo")[0]]).toEqual([
      1,
      "git-credential-codecommit: could not reach IAM Identity Center (OIDC) at https://oidc.us-east-1.amazonaws.com",
    ]);
    expect(s.calls).toEqual([]);
  });

  it("a services section names the OIDC endpoint for the selected profile", async () => {
    const s = await startStub();
    world.writeConfig(
      `${CONFIG.replace("region = us-east-1\n", "region = us-east-1\nservices = local\n")}[services local]\nsso_oidc =\n  endpoint_url = ${s.url}\n`,
    );
    const env = envFor(s);
    delete env.AWS_ENDPOINT_URL_SSO_OIDC;
    const result = await runHelper(["login", "--profile", "sso", "--use-device-code"], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(s.calls[0]).toBe("RegisterClient");
  });
});

describe("login with the authorization code flow (PKCE)", () => {
  it("prints the URL, takes the code on the 127.0.0.1 redirect, and writes files botocore reads", async () => {
    const s = await startStub();
    const env = envFor(s);
    const login = start(["login", "--profile", "sso", "--no-browser"], env);
    const [, url] = await login.waitForStderr(/^ {2}(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m);
    const authorize = new URL(url as string);
    expect([...authorize.searchParams.keys()]).toEqual([
      "response_type",
      "client_id",
      "redirect_uri",
      "state",
      "code_challenge_method",
      "scopes",
      "code_challenge",
    ]);
    expect(authorize.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    expect(authorize.searchParams.get("scopes")).toBe("sso:account:access");
    expect(await scriptedBrowser(url as string, "approve")).toBe(200);
    const result = await login.done;
    expect(result.code, result.stderr).toBe(0);
    expect(s.calls).toEqual(["RegisterClient", "Authorize → sign-in page", "Authorize approve", "CreateToken authorization_code → ok"]);
    expect(s.registrations).toEqual([
      {
        clientName: "git-credential-codecommit-my-sso",
        clientType: "public",
        scopes: ["sso:account:access"],
        grantTypes: ["authorization_code", "refresh_token"],
        redirectUris: ["http://127.0.0.1/oauth/callback"],
        issuerUrl: START_URL,
      },
    ]);
    await expectCliFormat(join(cacheDir, REGISTRATION_FILE), ["clientId", "clientSecret", "expiresAt", "scopes", "grantTypes"]);
    expect(readJson(join(cacheDir, REGISTRATION_FILE)).grantTypes).toEqual(["authorization_code", "refresh_token"]);
    await expectCliFormat(join(cacheDir, TOKEN_FILE), TOKEN_KEYS);
    expect(await botocoreToken(env)).toBe(readJson(join(cacheDir, TOKEN_FILE)).accessToken);
  });

  it("opens the browser named by BROWSER on the same URL it prints", async () => {
    const s = await startStub();
    const opened = join(world.dir, "opened-url");
    const browser = join(world.dir, "browser.sh");
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}.tmp' && mv '${opened}.tmp' '${opened}'\n`);
    chmodSync(browser, 0o755);
    const login = start(["login", "--profile", "sso"], envFor(s, { BROWSER: browser }));
    const [, url] = await login.waitForStderr(/^ {2}(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m);
    await login.waitForStderr(/^A browser was opened on it\.$/m);
    await waitUntil(() => existsSync(opened));
    expect(readFileSync(opened, "utf8")).toBe(url);
    expect(await scriptedBrowser(url as string, "approve")).toBe(200);
    expect((await login.done).code).toBe(0);
  });

  it("a denial in the browser is one line, and nothing is written", async () => {
    const s = await startStub();
    const login = start(["login", "--profile", "sso", "--no-browser"], envFor(s));
    const [, url] = await login.waitForStderr(/^ {2}(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m);
    expect(await scriptedBrowser(url as string, "deny")).toBe(200);
    const result = await login.done;
    expect(result.code).toBe(1);
    expect(lastLine(result.stderr)).toBe(
      "git-credential-codecommit: the sign-in for profile sso was denied. Approve the request in the browser, or ask your IAM Identity Center administrator for access",
    );
    expect(existsSync(cacheDir)).toBe(false);
  });

  it("Ctrl-C while waiting leaves the cache as it was", async () => {
    const s = await startStub();
    // An earlier session's files, which an interrupted login must not touch.
    mkdirSync(cacheDir, { recursive: true });
    const before = {
      [TOKEN_FILE]: '{"startUrl": "old", "accessToken": "old-token", "expiresAt": "2020-01-01T00:00:00Z"}',
      [REGISTRATION_FILE]: '{"clientId": "old"}',
    };
    for (const [name, content] of Object.entries(before)) writeFileSync(join(cacheDir, name), content);
    const login = start(["login", "--profile", "sso", "--no-browser"], envFor(s));
    await login.waitForStderr(/^Waiting for the browser/m);
    login.kill("SIGINT");
    const result = await login.done;
    expect(result.code === 0).toBe(false);
    expect(Object.fromEntries(readdirSync(cacheDir).map((f) => [f, readFileSync(join(cacheDir, f), "utf8")]))).toEqual(before);
  });
});

describe("get with an SSO profile", () => {
  it("after login: answers git, and a real git clone works", async () => {
    const s = await startStub();
    const env = envFor(s);
    expect((await runHelper(["login", "--profile", "sso", "--use-device-code"], { env })).code).toBe(0);

    const answer = await get("sso", env);
    expect(answer.stderr).toBe("");
    expect(answer.code).toBe(0);
    expect(s.calls.at(-1)).toBe("GetRoleCredentials 123456789012/Developer → ok");

    const server = await startGitServer({ root: join(world.dir, "repos"), secretFor: (k) => s.secretFor(k) });
    try {
      server.createRepo("demo");
      const gitEnv = { ...env, PATH: `${dirname(BINARY)}:${env.PATH}` };
      const target = join(world.dir, "clone");
      const clone = await audited({ env: gitEnv, peers: [s, server], label: "git clone" }, () =>
        runCommand(
          [
            "git",
            ...server.gitArgs(),
            "clone",
            "--config",
            "credential.helper=codecommit --profile sso",
            "--config",
            "credential.UseHttpPath=true",
            server.url("demo"),
            target,
          ],
          { env: gitEnv },
        ),
      );
      expect(clone.code, clone.stderr).toBe(0);
      expect(existsSync(join(target, ".git"))).toBe(true);
      expect(server.requests.some((r) => r.status === 200 && r.user?.startsWith("ASIASSO"))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("refreshes an expired access token with the refresh token, without a prompt, and updates the file as the CLI would", async () => {
    const s = await startStub();
    const { clientId, clientSecret } = s.registerClient();
    const { accessToken, refreshToken } = s.issueToken(clientId);
    mkdirSync(cacheDir, { recursive: true });
    const old = {
      startUrl: START_URL,
      region: "us-east-1",
      accessToken,
      expiresAt: "2020-01-01T00:00:00Z",
      clientId,
      clientSecret,
      registrationExpiresAt: "2099-01-01T00:00:00Z",
      refreshToken,
    };
    writeFileSync(join(cacheDir, TOKEN_FILE), JSON.stringify(old));
    const answer = await get("sso", { ...envFor(s), GIT_TERMINAL_PROMPT: "0" });
    expect(answer.stderr).toBe("");
    expect(answer.code).toBe(0);
    expect(s.calls).toEqual(["CreateToken refresh_token → ok", "GetRoleCredentials 123456789012/Developer → ok"]);
    const fresh = readJson(join(cacheDir, TOKEN_FILE));
    await expectCliFormat(join(cacheDir, TOKEN_FILE), TOKEN_KEYS);
    expect(fresh.accessToken).not.toBe(accessToken);
    expect(fresh.refreshToken).not.toBe(refreshToken);
    expect({ ...fresh, accessToken: "", refreshToken: "", expiresAt: "" }).toEqual({
      ...old,
      accessToken: "",
      refreshToken: "",
      expiresAt: "",
    });
    expect(fresh.expiresAt).toMatch(UTC_SECONDS);
  });

  it("--debug traces login, refresh and get without a token, secret or code in them", async () => {
    const s = await startStub();
    const env = envFor(s);
    const login = start(["login", "--profile", "sso", "--no-browser", "--debug"], env);
    const [, url] = await login.waitForStderr(/^ {2}(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m);
    expect(await scriptedBrowser(url as string, "approve")).toBe(200);
    const loggedIn = await login.done;
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    const file = join(cacheDir, TOKEN_FILE);
    const first = readJson(file);
    writeFileSync(file, JSON.stringify({ ...first, expiresAt: "2020-01-01T00:00:00Z" }));
    const answer = await runHelper(["--profile", "sso", "--debug", "get"], {
      env,
      stdin: "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n",
    });
    expect(answer.code).toBe(0);
    const second = readJson(file);
    const role = readJson(join(world.home, ".aws", "cli", "cache", readdirSync(join(world.home, ".aws", "cli", "cache"))[0] as string))
      .Credentials as Record<string, string>;
    const secrets = [
      first.accessToken,
      first.refreshToken,
      first.clientSecret,
      second.accessToken,
      second.refreshToken,
      role.SecretAccessKey,
      role.SessionToken,
    ] as string[];
    expectNoSecrets(loggedIn.stderr + answer.stderr, secrets);
    expect(answer.stderr).toContain("SSO token refreshed");
  });

  it("botocore refreshes a token our login wrote, and get uses what botocore wrote", async () => {
    const s = await startStub();
    const env = envFor(s);
    expect((await runHelper(["login", "--profile", "sso", "--use-device-code"], { env })).code).toBe(0);
    const file = join(cacheDir, TOKEN_FILE);
    const ours = readJson(file);
    // Let the access token expire (the same json.dumps, so still the CLI's format).
    await execFileAsync("python3", [
      "-c",
      "import json,sys; d=json.load(open(sys.argv[1])); d['expiresAt']='2020-01-01T00:00:00Z'; open(sys.argv[1],'w').write(json.dumps(d))",
      file,
    ]);
    const botocore =
      "import sys, botocore.session; c=botocore.session.Session(profile='sso').get_credentials().get_frozen_credentials(); sys.stdout.write(c.access_key[:7])";
    const { stdout } = await execFileAsync("python3", ["-c", botocore], { env });
    expect(stdout).toBe("ASIASSO");
    const theirs = readJson(file);
    expect(theirs.accessToken).not.toBe(ours.accessToken);
    expect(theirs.refreshToken).not.toBe(ours.refreshToken);
    await expectCliFormat(file, TOKEN_KEYS);
    const calls = s.calls.length;
    const answer = await get("sso", env);
    expect(answer.code, answer.stderr).toBe(0);
    expect(s.calls.slice(calls)).toEqual(["GetRoleCredentials 123456789012/Developer → ok"]);
  });

  it("a token the portal no longer accepts names our login command", async () => {
    const s = await startStub();
    const env = envFor(s);
    expect((await runHelper(["login", "--profile", "sso", "--use-device-code"], { env })).code).toBe(0);
    s.revokeAccessTokens();
    const answer = await get("sso", env);
    expect(s.calls.at(-1)).toBe("GetRoleCredentials 123456789012/Developer → unauthorized");
    expect(answer.code).toBe(1);
    expect(answer.stderr).toBe(
      'git-credential-codecommit: the SSO session for profile sso has expired or was never started. Run "git-credential-codecommit login --profile sso" (or "aws sso login --profile sso")\n',
    );
  });

  it("an expired token without a refresh token names our login command", async () => {
    const s = await startStub();
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(
      join(cacheDir, `${sha1(START_URL)}.json`),
      JSON.stringify({ startUrl: START_URL, region: "us-east-1", accessToken: "expired", expiresAt: "2020-01-01T00:00:00Z" }),
    );
    for (const profile of ["legacy", "sso"]) {
      const answer = await get(profile, envFor(s));
      expect(answer.code).toBe(1);
      expect(answer.stdout).toBe("quit=1\n");
      expect(answer.stderr).toBe(
        `git-credential-codecommit: the SSO session for profile ${profile} has expired or was never started. Run "git-credential-codecommit login --profile ${profile}" (or "aws sso login --profile ${profile}")\n`,
      );
    }
    expect(s.calls).toEqual([]);
  });
});

/** Polls a condition another process makes true (a file appearing); fails the test by its timeout. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("login_session profiles (aws login)", () => {
  const SESSION = "arn:aws:iam::123456789012:user/dev";
  const loginDir = (): string => join(world.home, ".aws", "login", "cache");
  const loginFile = (): string => join(loginDir(), `${createHash("sha256").update(SESSION).digest("hex")}.json`);
  const writeLoginToken = (expiresAt: string): void => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    mkdirSync(loginDir(), { recursive: true });
    writeFileSync(
      loginFile(),
      JSON.stringify({
        accessToken: {
          accessKeyId: "ASIACONSOLE000000001",
          secretAccessKey: "console-secret",
          sessionToken: "console-session",
          accountId: "123456789012",
          expiresAt,
        },
        tokenType: "aws_sigv4",
        clientId: "arn:aws:signin:::devtools/same-device",
        refreshToken: "console-refresh",
        idToken: "id",
        dpopKey: privateKey.export({ format: "pem", type: "sec1" }),
      }),
    );
  };
  beforeEach(() => world.writeConfig(`[profile console]\nlogin_session = ${SESSION}\nregion = us-east-1\n`));

  it("never logged in: one line that says to run aws login", async () => {
    const answer = await get("console", world.env);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toBe(
      'git-credential-codecommit: the console sign-in (login_session) of profile console has expired or was never started on this machine. Run "aws login --profile console"\n',
    );
  });

  it("a fresh session is used from the cache with no network", async () => {
    writeLoginToken(new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"));
    const answer = await get("console", { ...world.env, AWS_ENDPOINT_URL_SIGNIN: `http://127.0.0.1:${await freePort()}` });
    expect(answer.stderr).toBe("");
    expect(answer.stdout.split("\n")[0]).toBe("username=ASIACONSOLE000000001%console-session");
  });

  it("an expired session is refreshed through AWS sign-in", async () => {
    const s = await startStub({ signin: "refresh" });
    writeLoginToken("2020-01-01T00:00:00Z");
    const answer = await get("console", { ...world.env, AWS_ENDPOINT_URL_SIGNIN: s.url });
    expect(answer.stderr).toBe("");
    expect(s.calls).toEqual(["CreateOAuth2Token → refresh"]);
    expect(answer.stdout.split("\n")[0]).toMatch(/^username=ASIALOGIN\d{11}%login-session-\d+-[0-9a-f]{8}$/);
  });

  it("a session AWS sign-in refuses to refresh: one line that says to run aws login", async () => {
    const s = await startStub({ signin: "TOKEN_EXPIRED" });
    writeLoginToken("2020-01-01T00:00:00Z");
    const answer = await get("console", { ...world.env, AWS_ENDPOINT_URL_SIGNIN: s.url });
    expect(s.calls).toEqual(["CreateOAuth2Token → TOKEN_EXPIRED"]);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toBe(
      'git-credential-codecommit: the console sign-in (login_session) of profile console has expired or was never started on this machine. Run "aws login --profile console"\n',
    );
  });
});
