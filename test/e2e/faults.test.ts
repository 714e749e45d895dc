/**
 * Contract §7 failures through the built binary: one line on stderr naming what is wrong and the
 * fix, `quit=1` on stdout, exit 1, bounded in time, and never a secret.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { freePort } from "../support/loopback.js";
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

/** The §7 shape: exactly this one line, quit=1, exit 1 — and no secret anywhere on stderr. */
function expectFailure(r: RunResult, line: string): void {
  expect(r.stderr).toBe(`git-credential-codecommit: ${line}\n`);
  expect(r.stdout).toBe("quit=1\n");
  expect(r.code).toBe(1);
  expect(r.stderr).not.toContain(BASE_SECRET);
}

const get = (args: string[], env: Record<string, string> = {}): Promise<RunResult> =>
  runHelper([...args, "get"], { env: { ...world.env, ...env }, stdin: REQUEST });

describe("§7 failures", () => {
  it("unknown profile: lists the known ones", async () => {
    world.writeConfig(BASE + CROSS);
    world.writeCredentials("[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci-secret-1234567890\n");
    expectFailure(
      await get(["--profile", "crosss"]),
      `the AWS profile "crosss" is not in ${world.configFile} or ${world.credentialsFile}. Known profiles: base, ci, cross`,
    );
  });

  it("unknown profile through AWS_PROFILE", async () => {
    world.writeConfig(BASE);
    expectFailure(await get([], { AWS_PROFILE: "gone" }), `the AWS profile "gone" is not in ${world.configFile} or ${world.credentialsFile}. Known profiles: base`);
  });

  it("no credentials anywhere", async () => {
    expectFailure(
      await get([]),
      `no AWS credentials found for profile default (looked in the environment, ${world.configFile}, ${world.credentialsFile}; instance metadata is off by AWS_EC2_METADATA_DISABLED). Run "aws configure --profile default", or pass --profile with a configured profile`,
    );
  });

  it("MFA profile without a terminal (no controlling tty)", async () => {
    world.writeConfig(`${BASE}[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/dev\n`);
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
    world.writeConfig(`${BASE}[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/dev\n`);
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
    expectFailure(r, "codecommit.internal.example does not name an AWS region and none is configured. Add --region REGION to the credential.helper line, or set region in the profile");
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
});
