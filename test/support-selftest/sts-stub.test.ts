import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { verifyCodeCommitPassword } from "../support/codecommit-verify.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { startStsStub, STUB_USER_ARN, type StsStub, type StsStubOptions } from "../support/sts-stub.js";

const STATIC_KEY = "AKIAIOSFODNN7EXAMPLE";
const STATIC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ROLE_ARN = "arn:aws:iam::222222222222:role/deploy";
/** The project root, where node resolves the SDK from. */
const ROOT = join(__dirname, "..", "..");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the pip AWS CLI (the reference client) with the given environment. */
function aws(args: string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile("aws", args, { env, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
    child.stdin?.end(stdin ?? "");
  });
}

/** An unsigned JWT: STS checks the signature, the stub and the CLI do not. */
function fakeJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe("startStsStub", () => {
  let stub: StsStub | undefined;
  let world: IsolatedEnv | undefined;

  afterEach(async () => {
    await stub?.close();
    world?.cleanup();
    stub = undefined;
    world = undefined;
  });

  /** A stub, and an isolated AWS CLI world pointed at it with a static profile and a role profile. */
  async function setUp(opts?: StsStubOptions): Promise<{ stub: StsStub; world: IsolatedEnv }> {
    stub = await startStsStub(opts);
    stub.registerStatic(STATIC_KEY, STATIC_SECRET);
    world = isolatedEnv({ AWS_ENDPOINT_URL_STS: stub.endpoint });
    world.writeCredentials(`[dev]\naws_access_key_id = ${STATIC_KEY}\naws_secret_access_key = ${STATIC_SECRET}\n`);
    const tokenFile = join(world.dir, "web-identity-token");
    writeFileSync(
      tokenFile,
      fakeJwt({ sub: "system:serviceaccount:ci:builder", iss: "https://oidc.example.com", aud: "sts.amazonaws.com" }),
    );
    world.writeConfig(
      [
        "[profile dev]",
        "region = us-east-1",
        "[profile cross]",
        `role_arn = ${ROLE_ARN}`,
        "source_profile = dev",
        "region = us-east-1",
        "[profile web]",
        `role_arn = ${ROLE_ARN}`,
        `web_identity_token_file = ${tokenFile}`,
        "region = us-east-1",
        "",
      ].join("\n"),
    );
    return { stub, world };
  }

  it("serves the AWS CLI an AssumeRole whose credentials it then uses and caches", async () => {
    const { stub, world } = await setUp();

    const identity = await aws(["sts", "get-caller-identity", "--profile", "cross", "--output", "json"], world.env);
    expect(identity.stderr).toBe("");
    expect(identity.code).toBe(0);
    expect(JSON.parse(identity.stdout)).toMatchObject({
      Account: "222222222222",
      Arn: expect.stringMatching(/^arn:aws:sts::222222222222:assumed-role\/deploy\/.+/),
    });

    // The CLI's own CodeCommit helper signs with the cached role credentials: no second AssumeRole.
    const helper = await aws(
      ["codecommit", "credential-helper", "get", "--profile", "cross"],
      world.env,
      "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n",
    );
    expect(helper.code).toBe(0);

    expect(stub.calls.map((c) => c.action)).toEqual(["AssumeRole", "GetCallerIdentity"]);
    const [assume, whoami] = stub.calls;
    expect(assume).toMatchObject({
      accessKeyId: STATIC_KEY,
      params: { Action: "AssumeRole", Version: "2011-06-15", RoleArn: ROLE_ARN },
    });
    expect(stub.issued).toHaveLength(1);
    const issued = stub.issued[0]!;
    expect(issued.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(whoami?.accessKeyId).toBe(issued.accessKeyId);
    // Default lifetime, to the second.
    expect(Math.abs(issued.expiration.getTime() - Date.now() - 3600_000)).toBeLessThan(60_000);

    // The CLI's password, for the issued session, passes the independent CodeCommit check.
    const fields = Object.fromEntries(
      helper.stdout
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(fields.username).toBe(`${issued.accessKeyId}%${issued.sessionToken}`);
    expect(
      verifyCodeCommitPassword({
        username: fields.username ?? "",
        password: fields.password ?? "",
        host: "git-codecommit.us-east-1.amazonaws.com",
        requestPath: "/v1/repos/demo/info/refs",
        secretFor: stub.secretFor,
        now: new Date(),
      }),
    ).toEqual({ ok: true, accessKeyId: issued.accessKeyId, sessionToken: issued.sessionToken });
  });

  it("serves the AWS SDK for JavaScript (fromIni) an AssumeRole it parses", async () => {
    const { stub, world } = await setUp();
    // A child process, so the SDK reads the isolated environment and files, as the helper will.
    const script =
      "require('@aws-sdk/credential-providers').fromIni({ profile: 'cross' })()" +
      ".then((c) => process.stdout.write(JSON.stringify(c)), (e) => { process.stderr.write(String(e)); process.exitCode = 1; })";
    const result = await new Promise<CliResult>((resolve) => {
      execFile(process.execPath, ["-e", script], { cwd: ROOT, env: world.env, encoding: "utf8" }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : 1, stdout, stderr }),
      );
    });
    expect(result.code).toBe(0);
    const issued = stub.issued[0]!;
    const creds = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(creds).toMatchObject({
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: new Date(Math.floor(issued.expiration.getTime() / 1000) * 1000).toISOString(),
    });
    expect(stub.calls).toEqual([
      expect.objectContaining({ action: "AssumeRole", accessKeyId: STATIC_KEY, params: expect.objectContaining({ RoleArn: ROLE_ARN }) }),
    ]);
  });

  it("answers AssumeRoleWithWebIdentity in STS's shape", async () => {
    const { stub, world } = await setUp();
    const identity = await aws(["sts", "get-caller-identity", "--profile", "web", "--output", "json"], world.env);
    expect(identity.stderr).toBe("");
    expect(JSON.parse(identity.stdout)).toMatchObject({ Arn: expect.stringContaining(":assumed-role/deploy/") });
    expect(stub.calls.map((c) => c.action)).toEqual(["AssumeRoleWithWebIdentity", "GetCallerIdentity"]);
    // Web identity calls are unsigned.
    expect(stub.calls[0]?.accessKeyId).toBeUndefined();
    expect(stub.calls[1]?.accessKeyId).toBe(stub.issued[0]?.accessKeyId);
  });

  it("answers GetSessionToken with credentials of the calling user, lifetime overridable", async () => {
    const { stub, world } = await setUp({ durationSeconds: 120 });
    const result = await aws(["sts", "get-session-token", "--profile", "dev", "--output", "json"], world.env);
    expect(result.code).toBe(0);
    const creds = (JSON.parse(result.stdout) as { Credentials: Record<string, string> }).Credentials;
    const issued = stub.issued[0]!;
    expect(creds).toMatchObject({ AccessKeyId: issued.accessKeyId, SessionToken: issued.sessionToken });
    expect(stub.secretFor(issued.accessKeyId)).toBe(creds.SecretAccessKey);
    expect(issued.arn).toBe(STUB_USER_ARN);
    expect(Math.abs(issued.expiration.getTime() - Date.now() - 120_000)).toBeLessThan(60_000);
  });

  it("denies with STS's AccessDenied error, which the CLI reports", async () => {
    const { stub, world } = await setUp({ deny: true });
    const result = await aws(["sts", "get-caller-identity", "--profile", "cross"], world.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("AccessDenied");
    expect(result.stderr).toContain(`is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`);
    expect(stub.calls.map((c) => c.action)).toEqual(["AssumeRole"]);
    expect(stub.issued).toEqual([]);
  });

  it("knows the secrets it issued and the static keys registered, nothing else", async () => {
    const { stub } = await setUp();
    expect(stub.secretFor(STATIC_KEY)).toBe(STATIC_SECRET);
    expect(stub.secretFor("AKIAUNKNOWN000000000")).toBeUndefined();
    expect(stub.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("delays answers by delayMs", async () => {
    const { stub } = await setUp({ delayMs: 300 });
    const started = Date.now();
    const response = await fetch(stub.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<Arn>${STUB_USER_ARN}</Arn>`);
  });

  it("holds every answer until the gate opens, then answers in arrival order", async () => {
    const { stub } = await setUp({ gate: true });
    const call = (): Promise<string> =>
      fetch(stub.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::222222222222:role/deploy&RoleSessionName=s",
      }).then((r) => r.text());
    const answered: number[] = [];
    const first = call().then((t) => (answered.push(1), t));
    const second = call().then((t) => (answered.push(2), t));
    await expect.poll(() => stub.calls.length).toBe(2);
    expect(stub.issued).toEqual([]);
    expect(answered).toEqual([]);
    stub.open();
    const texts = await Promise.all([first, second]);
    expect(stub.issued.map((c) => texts.findIndex((t) => t.includes(c.accessKeyId)))).toEqual([0, 1]);
    // Once open, it answers at once.
    expect(await call()).toContain(stub.issued[2]!.accessKeyId);
  });

  it("hangs when asked to, and close() still ends the connection", async () => {
    const { stub } = await setUp({ hang: true });
    const pending = fetch(stub.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "Action=AssumeRole&Version=2011-06-15&RoleArn=x&RoleSessionName=s",
    });
    const settled = pending.then(
      () => "answered",
      () => "connection closed",
    );
    await expect.poll(() => stub.calls.length).toBe(1);
    await stub.close();
    expect(await settled).toBe("connection closed");
  });

  it("rejects an unknown action as STS does", async () => {
    const { stub } = await setUp();
    const response = await fetch(`${stub.endpoint}/?Action=Nope&Version=2011-06-15`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidAction</Code>");
  });
});
