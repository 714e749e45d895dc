/**
 * Failures through the built binary: one line on stderr naming what is wrong and the
 * fix, `quit=1` on stdout, exit 1, bounded in time, and never a secret.
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { roleCacheKey } from "../../src/session-cache/key.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { liveHolderLock } from "../support/lock-file.js";
import { freePort, type LoopbackHttp, startHttpServer } from "../support/loopback.js";
import { runHelper, type RunResult } from "../support/run-binary.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const REQUEST = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";
const BASE_SECRET = "base-secret-do-not-print-1234567890";
const BASE = `[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = ${BASE_SECRET}\n`;
const CROSS = "[profile cross]\nrole_arn = arn:aws:iam::222222222222:role/dev\nsource_profile = base\n";

let world: IsolatedEnv;
beforeEach(() => {
  world = isolatedEnv();
});
afterEach(() => world.cleanup());

/** A failure's shape: exactly this one line, quit=1, exit 1 — and no secret anywhere on stderr. */
function expectFailure(r: RunResult, line: string): void {
  expect(r.stderr).toBe(`git-credential-codecommit: ${line}\n`);
  expect(r.stdout).toBe("quit=1\n");
  expect(r.code).toBe(1);
  expect(r.stderr).not.toContain(BASE_SECRET);
}

const get = (args: string[], env: Record<string, string> = {}): Promise<RunResult> =>
  runHelper([...args, "get"], { env: { ...world.env, ...env }, stdin: REQUEST });

describe("failures: one line naming the problem and its fix", () => {
  it("unknown profile: lists the known ones", async () => {
    world.writeConfig(BASE + CROSS);
    world.writeCredentials("[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci-secret-1234567890\n");
    expectFailure(
      await get(["--profile", "crosss"]),
      `the AWS profile "crosss" is not in ${world.configFile} or ${world.credentialsFile}. Known profiles: "base", "ci", "cross"`,
    );
  });

  it("[cross] in the config file where [profile cross] was meant", async () => {
    world.writeConfig(`${BASE}[cross]\nrole_arn = arn:aws:iam::222222222222:role/dev\nsource_profile = base\n`);
    expectFailure(
      await get(["--profile", "cross"]),
      `the AWS profile "cross" is not in ${world.configFile} or ${world.credentialsFile}. In ${world.configFile} the section must be [profile cross], not [cross]`,
    );
  });

  it("unknown profile through AWS_PROFILE", async () => {
    world.writeConfig(BASE);
    expectFailure(
      await get([], { AWS_PROFILE: "gone" }),
      `the AWS profile "gone" is not in ${world.configFile} or ${world.credentialsFile}. Known profiles: "base"`,
    );
  });

  it("no credentials anywhere", async () => {
    expectFailure(
      await get([]),
      `no AWS credentials found for profile default (looked in the environment, ${world.configFile}, ${world.credentialsFile}; instance metadata is off by AWS_EC2_METADATA_DISABLED). Run "aws configure --profile default", or "git-credential-codecommit setup --profile NAME" with a configured profile`,
    );
  });

  it("MFA profile without a terminal (no controlling tty)", async () => {
    world.writeConfig(
      `${BASE}[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/dev\n`,
    );
    const env = { ...world.env };
    delete (env as Record<string, string | undefined>).GIT_TERMINAL_PROMPT;
    // setsid: a new session has no controlling terminal, so /dev/tty cannot be opened.
    const r = await runHelper(["--profile", "mfa", "get"], { env, stdin: REQUEST, wrap: ["setsid", "-w"] });
    expectFailure(
      r,
      'profile mfa needs an MFA code for arn:aws:iam::111111111111:mfa/dev, but there is no terminal to ask on. Run a git command from a terminal once, or run "aws sts get-caller-identity --profile mfa" to cache a role session first',
    );
  });

  it("MFA profile with GIT_TERMINAL_PROMPT=0", async () => {
    world.writeConfig(
      `${BASE}[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/dev\n`,
    );
    expectFailure(
      await get(["--profile", "mfa"], { GIT_TERMINAL_PROMPT: "0" }),
      'profile mfa needs an MFA code for arn:aws:iam::111111111111:mfa/dev, but GIT_TERMINAL_PROMPT=0 forbids prompting. Run a git command from a terminal once, or run "aws sts get-caller-identity --profile mfa" to cache a role session first',
    );
  });

  it("a malformed config file: names the file and line", async () => {
    world.writeConfig(`${BASE}this line is junk\n${CROSS}`);
    expectFailure(
      await get(["--profile", "cross"]),
      `${world.configFile} line 4 is neither a [section] header nor a key = value setting, so the AWS CLI would refuse this file too. Fix that line (sections are [profile NAME], settings are key = value)`,
    );
  });

  it("a malformed credentials file: a setting before any section", async () => {
    world.writeConfig(CROSS);
    world.writeCredentials("aws_access_key_id = AKIA\n[base]\n");
    expectFailure(
      await get(["--profile", "cross"]),
      `${world.credentialsFile} line 1 comes before any [section] header, so the AWS CLI would refuse this file too. Fix that line (sections are [profile NAME], settings are key = value)`,
    );
  });

  it("no region for a --host name", async () => {
    const r = await runHelper(["--host", "codecommit.internal.example", "get"], {
      env: { ...world.env, AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "env-secret-1234567890" },
      stdin: "protocol=https\nhost=codecommit.internal.example\npath=v1/repos/demo\n\n",
    });
    expectFailure(
      r,
      "codecommit.internal.example does not name an AWS region and none is configured. Add --region REGION to the credential.helper line, or set region in the profile",
    );
  });

  describe("STS faults", () => {
    let sts: StsStub | undefined;
    afterEach(async () => {
      await sts?.close();
      sts = undefined;
    });

    it("STS denies the role", async () => {
      sts = await startStsStub({ deny: true });
      world.writeConfig(BASE + CROSS);
      const r = await get(["--profile", "cross"], { AWS_ENDPOINT_URL_STS: sts.endpoint });
      expect(r.stderr).toMatch(
        /^git-credential-codecommit: STS denied assuming role arn:aws:iam::222222222222:role\/dev for profile cross in us-east-1: User: arn:aws:iam::111111111111:user\/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role\/dev\. Check the role's trust policy and the source identity's sts:AssumeRole permission\n$/,
      );
      expect(r.stdout).toBe("quit=1\n");
      expect(r.code).toBe(1);
    });

    it("STS refuses connections: fails at once", async () => {
      // A port that was just free: nothing listens there.
      const port = await freePort();
      world.writeConfig(BASE + CROSS);
      const r = await get(["--profile", "cross"], { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` });
      expectFailure(
        r,
        `could not reach STS at 127.0.0.1:${port} for profile cross role arn:aws:iam::222222222222:role/dev: connection refused. Check the network, or set HTTPS_PROXY if AWS is reached through a proxy`,
      );
      expect(r.ms).toBeLessThan(10_000);
    });

    it("STS accepts but never answers: fails within 10 s", async () => {
      sts = await startStsStub({ hang: true });
      world.writeConfig(BASE + CROSS);
      const r = await get(["--profile", "cross"], { AWS_ENDPOINT_URL_STS: sts.endpoint });
      expect(r.ms).toBeLessThan(10_000);
      expectFailure(
        r,
        `could not reach STS at ${new URL(sts.endpoint).host} for profile cross role arn:aws:iam::222222222222:role/dev: no answer within 9 s. Check the network, or set HTTPS_PROXY if AWS is reached through a proxy`,
      );
    }, 20_000);
  });

  describe("expired and unparsable credentials", () => {
    const ENV_KEYS = {
      AWS_ACCESS_KEY_ID: "ASIAENVEXAMPLE000009",
      AWS_SECRET_ACCESS_KEY: BASE_SECRET,
      AWS_SESSION_TOKEN: "env-session-token-123456",
    };

    it("AWS_CREDENTIAL_EXPIRATION in the past", async () => {
      expectFailure(
        await get([], { ...ENV_KEYS, AWS_CREDENTIAL_EXPIRATION: "2020-01-01T00:00:00Z" }),
        "the credentials in the environment (AWS_ACCESS_KEY_ID) expired at 2020-01-01T00:00:00Z (AWS_CREDENTIAL_EXPIRATION). Set fresh ones in the environment, or unset AWS_ACCESS_KEY_ID to use a profile",
      );
    });

    it("AWS_CREDENTIAL_EXPIRATION that is not a time", async () => {
      expectFailure(
        await get([], { ...ENV_KEYS, AWS_CREDENTIAL_EXPIRATION: "tomorrow" }),
        "the credentials in the environment (AWS_ACCESS_KEY_ID) have an expiry that is not a date and time (AWS_CREDENTIAL_EXPIRATION), so they cannot be trusted. Set AWS_CREDENTIAL_EXPIRATION to an ISO 8601 time such as 2030-01-01T00:00:00Z, or set fresh ones in the environment, or unset AWS_ACCESS_KEY_ID to use a profile",
      );
    });

    it("a future AWS_CREDENTIAL_EXPIRATION is accepted", async () => {
      const r = await get([], { ...ENV_KEYS, AWS_CREDENTIAL_EXPIRATION: "2999-01-01T00:00:00+00:00" });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    });

    it.each([
      [
        "2020-01-01T00:00:00Z",
        "the credentials of credential_process of profile proc expired at 2020-01-01T00:00:00Z (its Expiration). Fix the credential_process so it prints fresh credentials",
      ],
      [
        "tomorrow",
        "the credentials of credential_process of profile proc have an expiry that is not a date and time (its Expiration), so they cannot be trusted. Set its Expiration to an ISO 8601 time such as 2030-01-01T00:00:00Z, or fix the credential_process so it prints fresh credentials",
      ],
    ])("credential_process Expiration %s", async (expiration, line) => {
      const script = writeScript(
        "creds.sh",
        `echo '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "${BASE_SECRET}", "SessionToken": "tok-123456789", "Expiration": "${expiration}"}'`,
      );
      world.writeConfig(`[profile proc]\ncredential_process = ${script}\n`);
      expectFailure(await get(["--profile", "proc"]), line);
    });
  });

  describe("credential_process failures: the profile and exit status, never the command line", () => {
    it("exit status and the process's own stderr, with its arguments masked", async () => {
      const script = writeScript("fail.sh", 'echo "token $2 has expired." >&2\necho "run sso login." >&2\nexit 3');
      world.writeConfig(`[profile proc]\ncredential_process = ${script} --token secret-arg-0123456789\n`);
      const r = await get(["--profile", "proc"]);
      expectFailure(
        r,
        "credential_process of profile proc failed with exit status 3: token <redacted> has expired. / run sso login. Run the command of credential_process yourself to see what it needs",
      );
      expect(r.stderr).not.toContain("secret-arg-0123456789");
      expect(r.stderr).not.toContain(script);
    });

    it("a program that does not exist", async () => {
      world.writeConfig("[profile proc]\ncredential_process = /nonexistent/creds --token secret-arg-0123456789\n");
      expectFailure(
        await get(["--profile", "proc"]),
        "credential_process of profile proc could not be run: its program /nonexistent/creds was not found. Give the program's full path in credential_process",
      );
    });

    it("an unsupported Version", async () => {
      const script = writeScript("v2.sh", `echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "${BASE_SECRET}"}'`);
      world.writeConfig(`[profile proc]\ncredential_process = ${script}\n`);
      expectFailure(
        await get(["--profile", "proc"]),
        'credential_process of profile proc printed Version 2, but only version 1 is supported. Make it print {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...} as the AWS CLI expects',
      );
    });

    it("runs without a shell: quotes split as shlex splits them, metacharacters stay literal", async () => {
      const dir = join(world.dir, "my tools");
      mkdirSync(dir);
      const script = join(dir, "creds.sh");
      writeFileSync(
        script,
        `#!/bin/sh\n[ "$1" = 'a b;$(id)' ] || exit 9\necho '{"Version": 1, "AccessKeyId": "AKIAPROCSHLEX0000001", "SecretAccessKey": "${BASE_SECRET}"}'\n`,
      );
      chmodSync(script, 0o755);
      world.writeConfig(`[profile proc]\ncredential_process = "${script}" 'a b;$(id)'\n`);
      const r = await get(["--profile", "proc"]);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^username=AKIAPROCSHLEX0000001\n/);
    });
  });

  it("a source_profile that names no profile", async () => {
    world.writeConfig(`${BASE}[profile cross]\nrole_arn = arn:aws:iam::222222222222:role/dev\nsource_profile = bsae\n`);
    expectFailure(
      await get(["--profile", "cross"]),
      `the source_profile "bsae" of the AWS profile "cross" names no profile in ${world.configFile} or ${world.credentialsFile}. Known profiles: "base", "cross"`,
    );
  });

  describe("AWS answers with an error", () => {
    let server: LoopbackHttp | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it.each([
      [
        500,
        "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>oops</Message></Error><RequestId>req-500</RequestId></ErrorResponse>",
        "HTTP 500 InternalFailure, request id req-500",
      ],
      [503, "Service Unavailable", "HTTP 503, request id req-503"],
      [200, "this is not XML at all", "a reply that is not a valid answer, request id req-200"],
    ])("HTTP %i", async (status, body, what) => {
      let calls = 0;
      server = await startHttpServer((_req, res) => {
        calls++;
        res.writeHead(status, { "x-amzn-requestid": `req-${status}`, "content-type": "text/xml" }).end(body);
      });
      world.writeConfig(BASE + CROSS);
      const r = await get(["--profile", "cross"], { AWS_ENDPOINT_URL_STS: server.url });
      expectFailure(
        r,
        `STS at ${new URL(server.url).host} answered with an error (${what}) for profile cross role arn:aws:iam::222222222222:role/dev. Try again later; if it persists, check the endpoint and proxy settings`,
      );
      expect(calls).toBeGreaterThanOrEqual(1);
      expect(r.ms).toBeLessThan(10_000);
    });
  });

  describe("SSO portal faults", () => {
    let portal: LoopbackHttp | undefined;
    afterEach(async () => {
      await portal?.close();
      portal = undefined;
    });
    const ssoProfile = (): void => {
      world.writeConfig(
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n" +
          "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://d-1234567890.awsapps.com/start\n",
      );
      const dir = join(world.home, ".aws", "sso", "cache");
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, `${createHash("sha1").update("corp").digest("hex")}.json`),
        JSON.stringify({ accessToken: "sso-access-token-0123456789", expiresAt: "2999-01-01T00:00:00Z" }),
      );
    };

    it("no SSO token cached: log in", async () => {
      world.writeConfig(
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://x.awsapps.com/start\n",
      );
      expectFailure(
        await get(["--profile", "sso"]),
        'the SSO session for profile sso has expired or was never started. Run "git-credential-codecommit login --profile sso" (or "aws sso login --profile sso")',
      );
    });

    it("the portal refuses connections", async () => {
      ssoProfile();
      const port = await freePort();
      expectFailure(
        await get(["--profile", "sso"], { AWS_ENDPOINT_URL_SSO: `http://127.0.0.1:${port}` }),
        `could not reach SSO at 127.0.0.1:${port} for profile sso: connection refused. Check the network, or set HTTPS_PROXY if AWS is reached through a proxy`,
      );
    });

    it("the portal answers 500", async () => {
      ssoProfile();
      portal = await startHttpServer((_req, res) => void res.writeHead(500, { "x-amzn-requestid": "sso-req-1" }).end("{}"));
      expectFailure(
        await get(["--profile", "sso"], { AWS_ENDPOINT_URL_SSO: portal.url }),
        `SSO at ${new URL(portal.url).host} answered with an error (HTTP 500, request id sso-req-1) for profile sso. Try again later; if it persists, check the endpoint and proxy settings`,
      );
    });

    it("the portal no longer accepts the token (401)", async () => {
      ssoProfile();
      portal = await startHttpServer(
        (_req, res) =>
          void res
            .writeHead(401, { "x-amzn-errortype": "UnauthorizedException", "content-type": "application/json" })
            .end('{"message":"Session token not found or invalid"}'),
      );
      expectFailure(
        await get(["--profile", "sso"], { AWS_ENDPOINT_URL_SSO: portal.url }),
        'the SSO session for profile sso has expired or was never started. Run "git-credential-codecommit login --profile sso" (or "aws sso login --profile sso")',
      );
    });
  });

  it("a container endpoint that refuses connections is named as such", async () => {
    const port = await freePort();
    expectFailure(
      await get([], { AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/creds` }),
      `the container credentials endpoint http://127.0.0.1:${port}/creds did not answer. Check AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI, or unset them outside a container`,
    );
  });

  it("a single STS answer after 5 s still succeeds (one budget, not 3.5 s per attempt)", async () => {
    const sts = await startStsStub({ delayMs: 5_000 });
    try {
      world.writeConfig(BASE + CROSS);
      const r = await get(["--profile", "cross"], { AWS_ENDPOINT_URL_STS: sts.endpoint });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(sts.calls.map((c) => c.action)).toEqual(["AssumeRole"]);
    } finally {
      await sts.close();
    }
  }, 30_000);

  describe("nothing configured: the last sources", () => {
    let hanging: LoopbackHttp | undefined;
    afterEach(async () => {
      await hanging?.close();
      hanging = undefined;
    });
    const hang = async (): Promise<LoopbackHttp> => (hanging = await startHttpServer(() => {}));

    it("instance metadata that never answers: said so, with the fix, well within 10 s", async () => {
      const imds = await hang();
      const env = { ...world.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url } as Record<string, string>;
      delete env.AWS_EC2_METADATA_DISABLED;
      const r = await runHelper(["get"], { env, stdin: REQUEST });
      expectFailure(
        r,
        `no AWS credentials found for profile default (looked in the environment, ${world.configFile}, ${world.credentialsFile}), and instance metadata did not answer. Run "aws configure --profile default", or "git-credential-codecommit setup --profile NAME" with a configured profile; on a machine without an instance role, set AWS_EC2_METADATA_DISABLED=true`,
      );
      expect(r.ms).toBeLessThan(10_000);
    });

    it("a container endpoint that never answers is named as such", async () => {
      const container = await hang();
      const r = await get([], { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` });
      expectFailure(
        r,
        `the container credentials endpoint ${container.url}/creds did not answer. Check AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / AWS_CONTAINER_CREDENTIALS_FULL_URI, or unset them outside a container`,
      );
      expect(r.ms).toBeLessThan(10_000);
    });
  });

  it("a lock holder that never finishes: the waiter waits the budget, then one line, within 10 s, and no STS call of its own", async () => {
    const sts = await startStsStub();
    try {
      world.writeConfig(BASE + CROSS);
      const dir = join(world.home, ".aws", "cli", "cache");
      mkdirSync(dir, { recursive: true });
      const key = roleCacheKey({ RoleArn: "arn:aws:iam::222222222222:role/dev" });
      writeFileSync(join(dir, `${key}.lock`), liveHolderLock());
      const r = await get(["--profile", "cross"], { AWS_ENDPOINT_URL_STS: sts.endpoint });
      expectFailure(
        r,
        `another git-credential-codecommit has been getting the session for cross (arn:aws:iam::222222222222:role/dev) for 9 s without an answer (lock ${join(dir, `${key}.lock`)}). Check the network, proxy and endpoint settings, then try again`,
      );
      expect(sts.calls).toEqual([]);
      expect(r.ms).toBeLessThan(10_000);
    } finally {
      await sts.close();
    }
  }, 30_000);

  it("an MFA profile that cannot prompt does not wait 120 s on another process's lock", async () => {
    const mfaRole =
      "[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/dev\n";
    world.writeConfig(BASE + mfaRole);
    const dir = join(world.home, ".aws", "cli", "cache");
    mkdirSync(dir, { recursive: true });
    const key = roleCacheKey({ RoleArn: "arn:aws:iam::222222222222:role/admin", SerialNumber: "arn:aws:iam::111111111111:mfa/dev" });
    // A live holder (this test runner) that is, as far as the helper can tell, at its MFA prompt.
    writeFileSync(join(dir, `${key}.lock`), liveHolderLock());
    const r = await get(["--profile", "mfa"], { GIT_TERMINAL_PROMPT: "0" });
    expectFailure(
      r,
      'profile mfa needs an MFA code for arn:aws:iam::111111111111:mfa/dev, but GIT_TERMINAL_PROMPT=0 forbids prompting. Run a git command from a terminal once, or run "aws sts get-caller-identity --profile mfa" to cache a role session first',
    );
    expect(r.ms).toBeLessThan(15_000);
  }, 30_000);
});

function writeScript(name: string, body: string): string {
  const file = join(world.dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}
