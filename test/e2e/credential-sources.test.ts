/**
 * Each credential source (one file each under src/credentials/sources/) proven once, end to end: the built binary answers `get`
 * with the identity that source yields, and the password verifies independently.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signCodeCommitPassword, verifyCodeCommitPassword } from "../support/codecommit-verify.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { startHttpServer, type LoopbackHttp } from "../support/loopback.js";
import { frozenAt, runHelper, type RunResult } from "../support/run-binary.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const HOST = "git-codecommit.us-east-1.amazonaws.com";
const REQUEST = `protocol=https\nhost=${HOST}\npath=v1/repos/demo\n\n`;
const FROZEN = "2026-03-01 10:00:00";
const FROZEN_T = "20260301T100000";
const FROZEN_UNIX = Date.UTC(2026, 2, 1, 10, 0, 0) / 1000;

let world: IsolatedEnv;
let sts: StsStub;

beforeEach(async () => {
  world = isolatedEnv();
  sts = await startStsStub();
  world.env.AWS_ENDPOINT_URL_STS = sts.endpoint;
});
afterEach(async () => {
  await sts.close();
  world.cleanup();
});

/** Parses the three answer lines; fails the test on anything else. */
function answer(r: RunResult): { username: string; password: string; expiry: number } {
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const m = /^username=(.*)\npassword=(.*)\npassword_expiry_utc=(\d+)\n$/.exec(r.stdout);
  expect(m, r.stdout).not.toBeNull();
  return { username: m![1]!, password: m![2]!, expiry: Number(m![3]) };
}

/** The password the CodeCommit way, from our independent test signer, at the frozen time. */
function expectedPassword(secret: string): string {
  return signCodeCommitPassword({
    secretAccessKey: secret,
    host: HOST,
    path: "/v1/repos/demo",
    region: "us-east-1",
    time: new Date(`${FROZEN.replace(" ", "T")}Z`),
  });
}

async function getFrozen(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const clock = frozenAt(FROZEN);
  return runHelper([...args, "get"], { env: { ...world.env, ...clock.env, ...env }, stdin: REQUEST, wrap: clock.wrap });
}

/** For STS-issued credentials, which expire on the real clock: verify at the real time. */
function expectVerifies(a: { username: string; password: string }): void {
  const result = verifyCodeCommitPassword({
    username: a.username,
    password: a.password,
    host: HOST,
    requestPath: "/v1/repos/demo",
    secretFor: (k) => sts.secretFor(k),
    now: new Date(),
  });
  expect(result).toMatchObject({ ok: true });
}

describe("credential sources, each through the built binary", () => {
  it("environment variables (default chain)", async () => {
    const a = answer(
      await getFrozen([], { AWS_ACCESS_KEY_ID: "AKIAENVEXAMPLE000001", AWS_SECRET_ACCESS_KEY: "env-secret-key-1234567890" }),
    );
    expect(a).toEqual({
      username: "AKIAENVEXAMPLE000001",
      password: expectedPassword("env-secret-key-1234567890"),
      expiry: FROZEN_UNIX + 900,
    });
    expect(a.password.startsWith(`${FROZEN_T}Z`)).toBe(true);
  });

  it("environment variables with a session token", async () => {
    const a = answer(
      await getFrozen([], {
        AWS_ACCESS_KEY_ID: "ASIAENVEXAMPLE000002",
        AWS_SECRET_ACCESS_KEY: "env-secret-key-abcdefghij",
        AWS_SESSION_TOKEN: "env/session+token==",
      }),
    );
    expect(a).toEqual({
      username: "ASIAENVEXAMPLE000002%env/session+token==",
      password: expectedPassword("env-secret-key-abcdefghij"),
      expiry: FROZEN_UNIX + 900,
    });
  });

  it("a static --profile from the credentials file", async () => {
    world.writeCredentials("[static]\naws_access_key_id = AKIASTATICEXAMPLE001\naws_secret_access_key = static-secret-0987654321\n");
    const a = answer(await getFrozen(["--profile", "static"]));
    expect(a).toEqual({
      username: "AKIASTATICEXAMPLE001",
      password: expectedPassword("static-secret-0987654321"),
      expiry: FROZEN_UNIX + 900,
    });
  });

  it("AWS_PROFILE selects a static profile in the default chain", async () => {
    world.writeConfig("[profile viaenv]\naws_access_key_id = AKIAVIAENVEXAMPLE01\naws_secret_access_key = viaenv-secret-5555555555\n");
    const a = answer(await getFrozen([], { AWS_PROFILE: "viaenv" }));
    expect(a.username).toBe("AKIAVIAENVEXAMPLE01");
    expect(a.password).toBe(expectedPassword("viaenv-secret-5555555555"));
  });

  it("a two-hop role chain: base → role A → role B, each hop assumed with the previous hop's keys", async () => {
    sts.registerStatic("AKIABASEEXAMPLE00001", "base-secret-1111111111");
    world.writeConfig(
      [
        "[profile base]",
        "aws_access_key_id = AKIABASEEXAMPLE00001",
        "aws_secret_access_key = base-secret-1111111111",
        "[profile hop1]",
        "role_arn = arn:aws:iam::222222222222:role/hop1",
        "source_profile = base",
        "[profile hop2]",
        "role_arn = arn:aws:iam::333333333333:role/hop2",
        "source_profile = hop1",
        "",
      ].join("\n"),
    );
    const r = await runHelper(["--profile", "hop2", "get"], { env: world.env, stdin: REQUEST });
    const a = answer(r);
    const assumes = sts.calls.filter((c) => c.action === "AssumeRole");
    expect(assumes.map((c) => [c.params.RoleArn, c.accessKeyId])).toEqual([
      ["arn:aws:iam::222222222222:role/hop1", "AKIABASEEXAMPLE00001"],
      ["arn:aws:iam::333333333333:role/hop2", sts.issued[0]!.accessKeyId],
    ]);
    const final = sts.issued[1]!;
    expect(a.username).toBe(`${final.accessKeyId}%${final.sessionToken}`);
    expectVerifies(a);
  });

  it("credential_process, with the credentials' own expiry capping password_expiry_utc", async () => {
    const script = join(world.dir, "creds.sh");
    // Expires 5 minutes after the frozen time: earlier than signing time + 15 min.
    const exp = new Date((FROZEN_UNIX + 300) * 1000).toISOString();
    writeFileSync(
      script,
      `#!/bin/sh\necho '{"Version": 1, "AccessKeyId": "ASIAPROCESSEXAMPLE1", "SecretAccessKey": "process-secret-2222222222", "SessionToken": "process-token", "Expiration": "${exp}"}'\n`,
    );
    chmodSync(script, 0o755);
    world.writeConfig(`[profile proc]\ncredential_process = ${script}\n`);
    const a = answer(await getFrozen(["--profile", "proc"]));
    expect(a).toEqual({
      username: "ASIAPROCESSEXAMPLE1%process-token",
      password: expectedPassword("process-secret-2222222222"),
      expiry: FROZEN_UNIX + 300,
    });
  });

  it("a web identity token file profile (AssumeRoleWithWebIdentity)", async () => {
    const tokenFile = join(world.dir, "token.jwt");
    writeFileSync(tokenFile, "header.eyJzdWIiOiJjaS1ydW5uZXIifQ.signature");
    world.writeConfig(
      `[profile ci]\nrole_arn = arn:aws:iam::444444444444:role/ci\nweb_identity_token_file = ${tokenFile}\nrole_session_name = ci-session\n`,
    );
    const a = answer(await runHelper(["--profile", "ci", "get"], { env: world.env, stdin: REQUEST }));
    const call = sts.calls.find((c) => c.action === "AssumeRoleWithWebIdentity");
    expect(call?.params).toMatchObject({
      RoleArn: "arn:aws:iam::444444444444:role/ci",
      RoleSessionName: "ci-session",
      WebIdentityToken: "header.eyJzdWIiOiJjaS1ydW5uZXIifQ.signature",
    });
    expect(a.username).toBe(`${sts.issued[0]!.accessKeyId}%${sts.issued[0]!.sessionToken}`);
    expectVerifies(a);
  });

  it("web identity from AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (default chain)", async () => {
    const tokenFile = join(world.dir, "token.jwt");
    writeFileSync(tokenFile, "header.e30.signature");
    const a = answer(
      await runHelper(["get"], {
        env: {
          ...world.env,
          AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
          AWS_ROLE_ARN: "arn:aws:iam::444444444444:role/ci",
          AWS_ROLE_SESSION_NAME: "env-ci",
        },
        stdin: REQUEST,
      }),
    );
    expect(sts.calls.map((c) => c.action)).toEqual(["AssumeRoleWithWebIdentity"]);
    expectVerifies(a);
  });

  describe("container credentials endpoint", () => {
    let server: LoopbackHttp;
    let requests: Array<{ url: string | undefined; auth: string | undefined }>;
    beforeEach(async () => {
      requests = [];
      server = await startHttpServer((req, res) => {
        requests.push({ url: req.url, auth: req.headers.authorization });
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            AccessKeyId: "ASIACONTAINEREXAMPL1",
            SecretAccessKey: "container-secret-3333333333",
            Token: "container-token",
            Expiration: new Date((FROZEN_UNIX + 3600) * 1000).toISOString(),
          }),
        );
      });
    });
    afterEach(() => server.close());

    it("AWS_CONTAINER_CREDENTIALS_FULL_URI with an authorization token", async () => {
      const a = answer(
        await getFrozen([], {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/v2/credentials/abc`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: "container-auth",
        }),
      );
      expect(requests).toEqual([{ url: "/v2/credentials/abc", auth: "container-auth" }]);
      expect(a).toEqual({
        username: "ASIACONTAINEREXAMPL1%container-token",
        password: expectedPassword("container-secret-3333333333"),
        expiry: FROZEN_UNIX + 900,
      });
    });
  });

  describe("instance metadata (IMDSv2) on a loopback endpoint", () => {
    let server: LoopbackHttp;
    let paths: string[];
    beforeEach(async () => {
      paths = [];
      server = await startHttpServer((req, res) => {
        paths.push(`${req.method} ${req.url}`);
        if (req.method === "PUT" && req.url === "/latest/api/token") return void res.end("imds-session-token");
        if (req.headers["x-aws-ec2-metadata-token"] !== "imds-session-token") return void res.writeHead(401).end();
        if (req.url === "/latest/meta-data/iam/security-credentials/") return void res.end("instance-role");
        if (req.url === "/latest/meta-data/iam/security-credentials/instance-role") {
          return void res.end(
            JSON.stringify({
              Code: "Success",
              AccessKeyId: "ASIAINSTANCEEXAMPL1",
              SecretAccessKey: "instance-secret-4444444444",
              Token: "instance-token",
              Expiration: new Date((FROZEN_UNIX + 3600) * 1000).toISOString(),
            }),
          );
        }
        res.writeHead(404).end();
      });
    });
    afterEach(() => server.close());

    it("answers from the instance role", async () => {
      const env = { ...world.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: server.url } as Record<string, string>;
      delete env.AWS_EC2_METADATA_DISABLED;
      const clock = frozenAt(FROZEN);
      const a = answer(await runHelper(["get"], { env: { ...env, ...clock.env }, stdin: REQUEST, wrap: clock.wrap }));
      expect(paths).toContain("GET /latest/meta-data/iam/security-credentials/instance-role");
      expect(a).toEqual({
        username: "ASIAINSTANCEEXAMPL1%instance-token",
        password: expectedPassword("instance-secret-4444444444"),
        expiry: FROZEN_UNIX + 900,
      });
    });
  });
});
