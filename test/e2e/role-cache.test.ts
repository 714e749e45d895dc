/**
 * Role sessions shared with the AWS CLI (README, "Role sessions"), through the built binary: the
 * pip AWS CLI and the helper reuse each other's `~/.aws/cli/cache` entries (assumed-role, web
 * identity and SSO role sessions), parallel cold starts
 * make one STS call, a killed lock holder does not stall the others, MFA is asked once on the
 * terminal, and a damaged or read-only cache never fails git. STS calls are counted at the peer,
 * and every password is checked the way CodeCommit checks it, with the secret STS issued (or the
 * test wrote into the cache) for its access key.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyCodeCommitPassword } from "../support/codecommit-verify.js";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { processStart } from "../support/lock-file.js";
import { startHttpServer } from "../support/loopback.js";
import { expectNoSecrets } from "../support/no-secrets.js";
import { BINARY, runCommand, runHelper, type RunResult } from "../support/run-binary.js";
import { audited, auditPrinted } from "../support/secret-audit.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const HOST = "git-codecommit.us-east-1.amazonaws.com";
const REQUEST = `protocol=https\nhost=${HOST}\npath=v1/repos/demo\n\n`;
const BASE_KEY = "AKIABASEEXAMPLE00001";
const BASE_SECRET = "base-secret-1111111111";
const ROLE = "arn:aws:iam::222222222222:role/dev";
const MFA_SERIAL = "arn:aws:iam::111111111111:mfa/dev";

const BASE = `[profile base]\naws_access_key_id = ${BASE_KEY}\naws_secret_access_key = ${BASE_SECRET}\n`;
const CROSS = `[profile cross]\nrole_arn = ${ROLE}\nsource_profile = base\nregion = us-east-1\n`;
const MFA = `[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = ${MFA_SERIAL}\n`;

/** The CLI's file names for the profiles above (botocore's `_create_cache_key`). */
const CROSS_FILE = `${sha1('{"RoleArn": "arn:aws:iam::222222222222:role/dev"}')}.json`;
const MFA_FILE = `${sha1('{"RoleArn": "arn:aws:iam::222222222222:role/admin", "SerialNumber": "arn:aws:iam::111111111111:mfa/dev"}')}.json`;

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

let world: IsolatedEnv;
let sts: StsStub;
let cacheDir: string;

async function startWorld(stub: Parameters<typeof startStsStub>[0] = {}): Promise<void> {
  sts = await startStsStub(stub);
  sts.registerStatic(BASE_KEY, BASE_SECRET);
  world.env.AWS_ENDPOINT_URL_STS = sts.endpoint;
}

beforeEach(async () => {
  world = isolatedEnv();
  world.writeConfig(BASE + CROSS + MFA);
  cacheDir = join(world.home, ".aws", "cli", "cache");
  await startWorld();
});
afterEach(async () => {
  await sts.close();
  world.cleanup();
});

const assumeRoles = () => sts.calls.filter((c) => c.action === "AssumeRole");

function get(profile: string, env: Record<string, string> = {}, args: string[] = [], wrap: readonly string[] = []): Promise<RunResult> {
  return runHelper(["--profile", profile, ...args, "get"], { env: { ...world.env, ...env }, stdin: REQUEST, wrap });
}

/** The username of a successful answer, whose password CodeCommit would accept; fails the test otherwise. */
function username(r: RunResult): string {
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return verifiedUser(r.stdout);
}

/**
 * The username line of git's answer, after checking the password with the secret that belongs to
 * the username's access key (issued by the STS peer, or registered by the test for an entry it wrote).
 */
function verifiedUser(stdout: string): string {
  const m = /^username=(.*)\npassword=(.*)\npassword_expiry_utc=\d+\n$/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  const verdict = verifyCodeCommitPassword({
    username: m![1]!,
    password: m![2]!,
    host: HOST,
    requestPath: "/v1/repos/demo",
    secretFor: (accessKeyId) => sts.secretFor(accessKeyId),
    now: new Date(),
  });
  expect(verdict).toMatchObject({ ok: true });
  return m![1]!;
}

/** A helper run whose stderr can be watched while it runs (`--debug` says where it is). */
interface Running {
  stderr(): string;
  done: Promise<RunResult>;
}

function startGet(profile: string, args: string[] = []): Running {
  const child = spawn(BINARY, ["--profile", profile, ...args, "get"], { env: world.env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  // Only against a hang: the lock's own wait is a few seconds.
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const done = audited(
    { env: world.env, peers: [sts], label: `get --profile ${profile} ${args.join(" ")}` },
    () =>
      new Promise<RunResult>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve({ stdout, stderr, code, ms: 0 });
        });
      }),
  );
  child.stdin!.end(REQUEST);
  return { stderr: () => stderr, done };
}

/** The username credentials issued by the STS peer make. */
function userOf(i: number): string {
  const c = sts.issued[i]!;
  return `${c.accessKeyId}%${c.sessionToken}`;
}

/**
 * The pip AWS CLI, asynchronously: the STS peer answers from this same process. It needs a region
 * of its own for profiles that name none (the helper takes the CodeCommit host's).
 */
async function aws(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("aws", args, { env: awsEnv(), encoding: "utf8" });
  return stdout;
}

function awsEnv(): Record<string, string> {
  return { ...world.env, AWS_DEFAULT_REGION: "us-east-1" };
}

describe("sharing sessions with the AWS CLI", () => {
  it("after our get, `aws sts get-caller-identity --profile cross` makes no AssumeRole call", async () => {
    const user = username(await get("cross"));
    expect(assumeRoles()).toHaveLength(1);
    expect(user).toBe(userOf(0));
    expect(readdirSync(cacheDir)).toEqual([CROSS_FILE]);

    const identity = JSON.parse(await aws(["sts", "get-caller-identity", "--profile", "cross"])) as { Arn: string };
    expect(assumeRoles()).toHaveLength(1);
    const gci = sts.calls.filter((c) => c.action === "GetCallerIdentity");
    expect(gci.map((c) => c.accessKeyId)).toEqual([sts.issued[0]!.accessKeyId]);
    expect(identity.Arn).toMatch(/^arn:aws:sts::222222222222:assumed-role\/dev\/botocore-session-\d+$/);
  });

  it("after the CLI's `aws sts get-caller-identity --profile cross`, our get makes none", async () => {
    await aws(["sts", "get-caller-identity", "--profile", "cross"]);
    expect(assumeRoles()).toHaveLength(1);
    expect(readdirSync(cacheDir)).toEqual([CROSS_FILE]);

    const user = username(await get("cross"));
    expect(assumeRoles()).toHaveLength(1);
    expect(user).toBe(userOf(0));
  });

  it("the next get reuses the session, and the STS call says what the profile says", async () => {
    world.writeConfig(
      `${BASE}[profile tuned]\nrole_arn = ${ROLE}\nsource_profile = base\nexternal_id = ext-1234\nrole_session_name = alice\nduration_seconds = 7200\n`,
    );
    const first = username(await get("tuned"));
    const second = username(await get("tuned"));
    expect(first).toBe(second);
    expect(assumeRoles().map((c) => c.params)).toEqual([
      {
        Action: "AssumeRole",
        Version: "2011-06-15",
        RoleArn: ROLE,
        RoleSessionName: "alice",
        ExternalId: "ext-1234",
        DurationSeconds: "7200",
      },
    ]);
    const file = `${sha1(`{"DurationSeconds": 7200, "ExternalId": "ext-1234", "RoleArn": "${ROLE}", "RoleSessionName": "alice"}`)}.json`;
    expect(readdirSync(cacheDir)).toEqual([file]);
    // The AWS CLI finds the same session under the same name.
    await aws(["sts", "get-caller-identity", "--profile", "tuned"]);
    expect(assumeRoles()).toHaveLength(1);
  });

  it("without settings, the call carries the CLI's defaults: a botocore-session name and no DurationSeconds", async () => {
    username(await get("cross"));
    const [call] = assumeRoles();
    expect(Object.keys(call!.params).sort()).toEqual(["Action", "RoleArn", "RoleSessionName", "Version"]);
    expect(call!.params.RoleSessionName).toMatch(/^botocore-session-\d+$/);
  });

  it("each hop of a chain is cached as the CLI caches it", async () => {
    world.writeConfig(
      `${BASE}[profile hop1]\nrole_arn = arn:aws:iam::333333333333:role/hop1\nsource_profile = base\nduration_seconds = 1800\n[profile hop2]\nrole_arn = ${ROLE}\nsource_profile = hop1\n`,
    );
    username(await get("hop2"));
    expect(readdirSync(cacheDir).sort()).toEqual(
      [CROSS_FILE, `${sha1('{"DurationSeconds": 1800, "RoleArn": "arn:aws:iam::333333333333:role/hop1"}')}.json`].sort(),
    );
    // The CLI resolves `hop1` from the cache our chain left, and `hop2` too.
    await aws(["sts", "get-caller-identity", "--profile", "hop1"]);
    await aws(["sts", "get-caller-identity", "--profile", "hop2"]);
    expect(assumeRoles()).toHaveLength(2);
  });

  it("a session with less than 15 minutes left is refreshed and overwritten", async () => {
    await sts.close();
    await startWorld({ durationSeconds: 14 * 60 });
    const first = username(await get("cross"));
    const second = username(await get("cross"));
    expect(first).not.toBe(second);
    expect(assumeRoles()).toHaveLength(2);
    const cached = JSON.parse(readFileSync(join(cacheDir, CROSS_FILE), "utf8")) as { Credentials: { AccessKeyId: string } };
    expect(cached.Credentials.AccessKeyId).toBe(sts.issued[1]!.accessKeyId);
  });
});

describe("web identity sessions (AWS_ROLE_ARN and a token file, as CI runners and EKS pods have)", () => {
  const CI_ROLE = "arn:aws:iam::444444444444:role/ci";
  /** The CLI's file name: botocore hashes the role (and a configured session name) only. */
  const CI_FILE = `${sha1(`{"RoleArn": "${CI_ROLE}"}`)}.json`;
  const webIdentityCalls = () => sts.calls.filter((c) => c.action === "AssumeRoleWithWebIdentity");
  let tokenFile = "";
  beforeEach(() => {
    tokenFile = join(world.dir, "token.jwt");
    writeFileSync(tokenFile, "header.eyJzdWIiOiJjaSJ9.signature");
    world.env.AWS_WEB_IDENTITY_TOKEN_FILE = tokenFile;
    world.env.AWS_ROLE_ARN = CI_ROLE;
  });
  const getDefault = () => runHelper(["get"], { env: world.env, stdin: REQUEST });

  it("are cached under the CLI's name: the next get and the AWS CLI make no more calls", async () => {
    const first = username(await getDefault());
    expect(first).toBe(userOf(0));
    expect(readdirSync(cacheDir)).toEqual([CI_FILE]);
    expect(username(await getDefault())).toBe(first);
    await aws(["sts", "get-caller-identity"]);
    expect(webIdentityCalls()).toHaveLength(1);
    expect(sts.calls.filter((c) => c.action === "GetCallerIdentity").map((c) => c.accessKeyId)).toEqual([sts.issued[0]!.accessKeyId]);
  });

  it("a session the AWS CLI cached is reused, even once the token file is gone", async () => {
    await aws(["sts", "get-caller-identity"]);
    expect(readdirSync(cacheDir)).toEqual([CI_FILE]);
    rmSync(tokenFile);
    expect(username(await getDefault())).toBe(userOf(0));
    expect(webIdentityCalls()).toHaveLength(1);
  });

  it("parallel cold gets of a web identity profile make one call", async () => {
    await sts.close();
    await startWorld({ gate: true });
    world.writeConfig(`[profile wi]\nrole_arn = ${CI_ROLE}\nweb_identity_token_file = ${tokenFile}\n`);
    const runs = Array.from({ length: 16 }, () => startGet("wi", ["--debug"]));
    await until(() => webIdentityCalls().length === 1 && runs.every((r) => r.stderr().includes("role cache miss")), runs);
    sts.open();
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(verifiedUser(r.stdout)).toBe(userOf(0));
    expect(webIdentityCalls()).toHaveLength(1);
    expect(readdirSync(cacheDir)).toEqual([CI_FILE]);
  });

  it("as a role's source profile, it is fetched anew and not cached, as the AWS CLI does", async () => {
    delete world.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    delete world.env.AWS_ROLE_ARN;
    world.writeConfig(
      `[profile wi]\nrole_arn = ${CI_ROLE}\nweb_identity_token_file = ${tokenFile}\n[profile chained]\nrole_arn = ${ROLE}\nsource_profile = wi\n`,
    );
    await aws(["sts", "get-caller-identity", "--profile", "chained"]);
    const theirs = readdirSync(cacheDir);
    rmSync(cacheDir, { recursive: true });
    username(await get("chained"));
    expect(readdirSync(cacheDir)).toEqual(theirs);
    expect(theirs).toEqual([CROSS_FILE]);
    expect(webIdentityCalls()).toHaveLength(2);
  });
});

describe("the cache files", () => {
  it("are 0600 in a 0700 directory, in the CLI's format", async () => {
    username(await get("cross"));
    expect(statSync(join(cacheDir, CROSS_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    const c = sts.issued[0]!;
    const entry = JSON.parse(readFileSync(join(cacheDir, CROSS_FILE), "utf8")) as Record<string, Record<string, string>>;
    expect(entry.Credentials).toEqual({
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      SessionToken: c.sessionToken,
      Expiration: c.expiration.toISOString().replace(/\.\d{3}Z$/, "Z"),
      AccountId: "222222222222",
    });
    expect(entry.AssumedRoleUser?.Arn).toMatch(/^arn:aws:sts::222222222222:assumed-role\/dev\/botocore-session-\d+$/);
  });

  it.each([
    ["corrupt", "{not json"],
    ["truncated", '{"Credentials": {"AccessKeyId": "ASIATRUNCATED", "SecretAcc'],
    ["empty", ""],
  ])("a %s entry is a miss and is replaced", async (_, text) => {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, CROSS_FILE), text);
    expect(username(await get("cross"))).toBe(userOf(0));
    expect(JSON.parse(readFileSync(join(cacheDir, CROSS_FILE), "utf8")).Credentials.AccessKeyId).toBe(sts.issued[0]!.accessKeyId);
    expect(username(await get("cross"))).toBe(userOf(0));
    expect(assumeRoles()).toHaveLength(1);
  });

  it("an entry the CLI v2 or boto wrote (`+00:00`, `UTC`) is reused", async () => {
    const expires = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "");
    for (const [suffix, n] of [
      ["+00:00", 1],
      ["UTC", 2],
    ] as const) {
      mkdirSync(cacheDir, { recursive: true });
      const entry = {
        Credentials: {
          AccessKeyId: `ASIAWRITTENBYCLI000${n}`,
          SecretAccessKey: "cli-secret-abcdefghijkl",
          SessionToken: `cli-token-${n}`,
          Expiration: `${expires}${suffix}`,
        },
      };
      sts.registerStatic(entry.Credentials.AccessKeyId, entry.Credentials.SecretAccessKey);
      writeFileSync(join(cacheDir, CROSS_FILE), JSON.stringify(entry));
      expect(username(await get("cross"))).toBe(`ASIAWRITTENBYCLI000${n}%cli-token-${n}`);
    }
    expect(assumeRoles()).toHaveLength(0);
  });

  describe("in a read-only directory", () => {
    it("a warm entry is still used, and a cold one still answers git", async () => {
      const as = helperUser(world.dir);
      username(await get("cross", {}, [], as));
      const probe = (): Promise<RunResult> => runCommand([...as, "touch", join(cacheDir, "probe")], { env: world.env });
      expect((await probe()).code).toBe(0);
      rmSync(join(cacheDir, "probe"));
      chmodSync(cacheDir, 0o555);
      // The helper's user cannot write there now (proof, not assumption).
      expect((await probe()).code).not.toBe(0);
      // Warm: read from the read-only directory.
      expect(username(await get("cross", {}, [], as))).toBe(userOf(0));
      expect(assumeRoles()).toHaveLength(1);
      // Cold (the session expires soon): refreshed, cannot be written, git is answered anyway.
      const soon = {
        Credentials: {
          AccessKeyId: "ASIAEXPIRINGSOON0001",
          SecretAccessKey: "s-abcdefghijkl",
          SessionToken: "t",
          Expiration: new Date(Date.now() + 60_000).toISOString(),
        },
      };
      writeFileSync(join(cacheDir, CROSS_FILE), JSON.stringify(soon));
      execFileSync("chown", ["--reference", cacheDir, join(cacheDir, CROSS_FILE)]);
      expect(username(await get("cross", {}, [], as))).toBe(userOf(1));
      expect(assumeRoles()).toHaveLength(2);
      expect(JSON.parse(readFileSync(join(cacheDir, CROSS_FILE), "utf8")).Credentials.AccessKeyId).toBe("ASIAEXPIRINGSOON0001");
      expect(readdirSync(cacheDir)).toEqual([CROSS_FILE]);
    });

    it("that does not exist and cannot be made, git is answered", async () => {
      writeFileSync(join(world.dir, "not-a-dir"), "");
      expect(username(await get("cross", { AWS_CLI_CACHE_DIR: join(world.dir, "not-a-dir", "cache") }))).toBe(userOf(0));
    });
  });
});

/**
 * The command prefix that runs the helper as a user for whom a 0555 directory is read-only. Root
 * writes anywhere whatever the mode (and `chattr +i` needs a file system that supports it), so as
 * root the world is handed to `nobody` and the helper runs as `nobody` (util-linux setpriv); any
 * other user is already bound by the mode.
 */
function helperUser(dir: string): string[] {
  if (process.getuid?.() !== 0) return [];
  execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, dir]);
  return ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--"];
}
const NOBODY = 65534;

describe("concurrency", () => {
  it("32 parallel cold gets make exactly one AssumeRole call", async () => {
    await sts.close();
    // STS answers only once every get has been seen missing the cache: then one of them holds the
    // lock and waits on STS, and the other 31 wait on the lock.
    await startWorld({ gate: true });
    const runs = Array.from({ length: 32 }, () => startGet("cross", ["--debug"]));
    await until(() => assumeRoles().length === 1 && runs.every((r) => r.stderr().includes("role cache miss")), runs);
    sts.open();
    const results = await Promise.all(runs.map((r) => r.done));
    const c = sts.issued[0]!;
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(verifiedUser(r.stdout)).toBe(userOf(0));
      expectNoSecrets(r.stderr, [c.secretAccessKey, c.sessionToken, BASE_SECRET]);
    }
    expect(assumeRoles()).toHaveLength(1);
    const count = (phrase: string) => results.filter((r) => r.stderr.includes(phrase)).length;
    const tally = {
      refreshed: count("role cache written"),
      waited: count("role cache filled by another process"),
      warm: count("role cache hit"),
    };
    // Every other get was waiting on the lock when STS answered.
    expect(tally).toEqual({ refreshed: 1, waited: 31, warm: 0 });
    expect(readdirSync(cacheDir)).toEqual([CROSS_FILE]);
  });

  it("a lock holder killed with SIGKILL mid-refresh: the others still answer, with one more STS call", async () => {
    await sts.close();
    await startWorld({ gate: true });
    const holder = spawnHelper("cross");
    await until(() => assumeRoles().length === 1 && existsSync(join(cacheDir, CROSS_FILE.replace(".json", ".lock"))));
    const waiters = Array.from({ length: 8 }, () => startGet("cross", ["--debug"]));
    // Every waiter has missed the cache and found the lock held.
    await until(() => waiters.every((w) => w.stderr().includes("role cache miss")), waiters);
    holder.kill("SIGKILL");
    // The held answer goes to a dead process. One waiter notices the dead holder, breaks the lock
    // and calls STS itself; nothing here waits on how fast that happens (a busy machine is slow).
    sts.open();
    const results = await Promise.all(waiters.map((w) => w.done));
    // issued[0] went to the killed holder (answered into a closed connection), issued[1] to the new one.
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(verifiedUser(r.stdout)).toBe(userOf(1));
    }
    expect(assumeRoles()).toHaveLength(2);
    expect(readdirSync(cacheDir)).toEqual([CROSS_FILE]);
  });
});

describe("a fresh lock whose holder cannot be judged never fails a get", () => {
  const lockPath = () => join(cacheDir, CROSS_FILE.replace(".json", ".lock"));
  let bystander: ChildProcess | undefined;
  afterEach(() => {
    bystander?.kill("SIGKILL");
    bystander = undefined;
  });

  /** A running process that is not a helper: `sleep`, whose pid a lock can name. */
  function livePid(): number {
    bystander = spawn("sleep", ["300"], { stdio: "ignore" });
    return bystander.pid!;
  }

  // Each lock, without the rule that judges it, makes every get wait its whole budget and fail:
  // another host's holder cannot be asked, a live pid with the holder's start looks alive, and a
  // holder dated in the future never ages.
  const locks: ReadonlyArray<[string, () => object]> = [
    [
      "written on another host sharing the home directory",
      () => ({ pid: 4242, host: "build-agent-7.example.com", created: Date.now(), nonce: "a1b2c3d4e5f60718" }),
    ],
    [
      "naming a pid that now belongs to another process",
      () => ({ pid: livePid(), host: hostname(), created: Date.now(), nonce: "a1b2c3d4e5f60718", start: processStart(process.pid) }),
    ],
    [
      "dated an hour ahead, by a live process on this host",
      () => {
        const pid = livePid();
        return { pid, host: hostname(), created: Date.now() + 3_600_000, nonce: "a1b2c3d4e5f60718", start: processStart(pid) };
      },
    ],
  ];

  it.each(locks)("%s: 16 parallel cold gets answer, with one AssumeRole between them", async (_, lock) => {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    writeFileSync(lockPath(), JSON.stringify(lock()), { mode: 0o600 });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 16 }, () => startGet("cross").done));
    // Only against a hang: the bounded wait is a third of the 9 s budget, and a busy machine is slow.
    expect(Date.now() - started).toBeLessThan(30_000);
    const c = sts.issued[0]!;
    for (const r of results) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(verifiedUser(r.stdout)).toBe(userOf(0));
      expectNoSecrets(r.stderr, [c.secretAccessKey, c.sessionToken, BASE_SECRET]);
    }
    expect(assumeRoles()).toHaveLength(1);
    // The holder that took over released its lock; nothing is left beside the entry.
    expect(readdirSync(cacheDir)).toEqual([CROSS_FILE]);
  });
});

function spawnHelper(profile: string): ChildProcess {
  const child = spawn(BINARY, ["--profile", profile, "get"], { env: world.env, stdio: ["pipe", "ignore", "ignore"] });
  child.stdin!.end(REQUEST);
  return child;
}

/**
 * Waits for a condition the test watches; the bound only catches a hang. When it runs out, the
 * error says what the STS stub saw and what each helper printed, so a failure in CI explains itself.
 */
async function until(cond: () => boolean, helpers: readonly Running[] = [], timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) {
      const printed = helpers.map((h, i) => `helper ${i}:\n${h.stderr()}`).join("\n");
      throw new Error(`condition not met in ${timeoutMs / 1000} s; STS saw ${JSON.stringify(sts.calls.map((c) => c.action))}\n${printed}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Runs a shell command on a fresh pseudo-terminal (util-linux `script`), typing `code` once the
 * MFA prompt (ours or the AWS CLI's) shows. Returns what appeared on the terminal.
 */
function onTerminal(command: string, env: Record<string, string>, code: string): Promise<{ terminal: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let terminal = "";
    let typed = false;
    child.stdout.on("data", (d: Buffer) => {
      terminal += d.toString("utf8");
      // Ours asks in git's shape; the AWS CLI asks "Enter MFA code for <serial>: ".
      if (!typed && /(Password for '[^\n]*'|Enter MFA code for [^\n]*): ?$/.test(terminal)) {
        typed = true;
        child.stdin.write(`${code}\n`);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (exit) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ terminal, code: exit });
    });
  });
}

describe("MFA", () => {
  /** `get` with git's stdin a pipe and the terminal a pty, as under git in a terminal. */
  async function getOnTerminal(profile: string, code: string): Promise<{ prompts: number; user: string }> {
    const out = join(world.dir, "out.txt");
    const env = { ...world.env, REQ: REQUEST, OUT: out, BIN: BINARY };
    delete (env as Record<string, string | undefined>).GIT_TERMINAL_PROMPT;
    const t = await onTerminal(`printf %s "$REQ" | "$BIN" --profile ${profile} get > "$OUT"`, env, code);
    // The terminal shows the helper's stderr; the MFA code typed there is a secret in play too.
    auditPrinted(
      { stdout: readFileSync(out, "utf8"), stderr: t.terminal },
      { env, peers: [sts], secrets: [code], label: `get --profile ${profile} on a terminal` },
    );
    expect(t.code).toBe(0);
    return { prompts: t.terminal.split("Password for '").length - 1, user: verifiedUser(readFileSync(out, "utf8")) };
  }

  it("is asked once on the terminal; the next get reuses the session without a prompt", async () => {
    const first = await getOnTerminal("mfa", "123456");
    expect(first.prompts).toBe(1);
    expect(assumeRoles().map((c) => [c.params.SerialNumber, c.params.TokenCode])).toEqual([[MFA_SERIAL, "123456"]]);
    expect(readdirSync(cacheDir)).toEqual([MFA_FILE]);

    const second = await getOnTerminal("mfa", "654321");
    expect(second.prompts).toBe(0);
    expect(second.user).toBe(first.user);
    // Not even a terminal is needed now.
    expect(username(await get("mfa", { GIT_TERMINAL_PROMPT: "0" }))).toBe(first.user);
    expect(assumeRoles()).toHaveLength(1);
    // The AWS CLI reuses it too: no prompt, no AssumeRole.
    await aws(["sts", "get-caller-identity", "--profile", "mfa"]);
    expect(assumeRoles()).toHaveLength(1);
  });

  it("a session the AWS CLI made after its own prompt is reused, with no terminal at all", async () => {
    const t = await onTerminal("aws sts get-caller-identity --profile mfa", awsEnv(), "246810");
    expect(t.code).toBe(0);
    expect(assumeRoles().map((c) => c.params.TokenCode)).toEqual(["246810"]);
    expect(username(await get("mfa", { GIT_TERMINAL_PROMPT: "0" }))).toBe(userOf(0));
    expect(assumeRoles()).toHaveLength(1);
  });
});

/**
 * A minimal AWS SSO portal (GetRoleCredentials, `GET /federation/credentials`), counting calls.
 */
async function startSsoPortal(): Promise<{ endpoint: string; calls: string[]; close: () => Promise<void> }> {
  const calls: string[] = [];
  let n = 0;
  const server = await startHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    calls.push(`${url.pathname}?${url.searchParams.toString()} token=${String(req.headers["x-amz-sso_bearer_token"])}`);
    n++;
    sts.registerStatic(`ASIASSOEXAMPLE00000${n}`, `sso-secret-abcdefghij-${n}`);
    res.writeHead(200, { "Content-Type": "application/json" }).end(
      JSON.stringify({
        roleCredentials: {
          accessKeyId: `ASIASSOEXAMPLE00000${n}`,
          secretAccessKey: `sso-secret-abcdefghij-${n}`,
          sessionToken: `sso-session-token-${n}`,
          expiration: Date.now() + 3_600_000,
        },
      }),
    );
  });
  return { endpoint: server.url, calls, close: () => server.close() };
}

describe("SSO role credentials", () => {
  it("are cached under the CLI v2's key and reused", async () => {
    const portal = await startSsoPortal();
    try {
      world.writeConfig(
        "[profile sso]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = us-east-1\n" +
          "[sso-session my-sso]\nsso_region = us-east-1\nsso_start_url = https://d-1234567890.awsapps.com/start\n",
      );
      const tokenDir = join(world.home, ".aws", "sso", "cache");
      mkdirSync(tokenDir, { recursive: true });
      writeFileSync(
        join(tokenDir, `${sha1("my-sso")}.json`),
        JSON.stringify({
          startUrl: "https://d-1234567890.awsapps.com/start",
          region: "us-east-1",
          accessToken: "sso-access-token-xyz",
          expiresAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
        }),
      );
      const env = { AWS_ENDPOINT_URL_SSO: portal.endpoint };
      const first = username(await get("sso", env));
      const second = username(await get("sso", env));
      expect(first).toBe("ASIASSOEXAMPLE000001%sso-session-token-1");
      expect(second).toBe(first);
      expect(portal.calls).toEqual(["/federation/credentials?account_id=123456789012&role_name=Developer token=sso-access-token-xyz"]);
      const file = `${sha1('{"accountId":"123456789012","roleName":"Developer","sessionName":"my-sso"}')}.json`;
      expect(readdirSync(cacheDir)).toEqual([file]);
      const entry = JSON.parse(readFileSync(join(cacheDir, file), "utf8")) as { ProviderType: string; Credentials: Record<string, string> };
      expect(entry.ProviderType).toBe("sso");
      expect(entry.Credentials.AccountId).toBe("123456789012");
      expect(statSync(join(cacheDir, file)).mode & 0o777).toBe(0o600);
    } finally {
      await portal.close();
    }
  });
});
