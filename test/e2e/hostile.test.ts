/**
 * Through the built binary: a hostile repository, a planted or broken session cache, odd
 * stdio. Each case is a regression test for a defect found on main: the run answers (or fails with
 * its one line) in bounded time, leaves nothing behind, and leaks nothing (runHelper audits every
 * run for the secrets in play).
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { BINARY, runCommand, runHelper, type RunResult } from "../support/run-binary.js";
import { audited, auditPrinted } from "../support/secret-audit.js";
import { startStsStub, type StsStub } from "../support/sts-stub.js";

const HOST = "git-codecommit.us-east-1.amazonaws.com";
const REQUEST = `protocol=https\nhost=${HOST}\npath=v1/repos/demo\n\n`;
const BASE_KEY = "AKIABASEEXAMPLE00001";
const BASE_SECRET = "base-secret-hostile-1111111111";
const ROLE = "arn:aws:iam::222222222222:role/dev";
const CONFIG = `[profile base]\naws_access_key_id = ${BASE_KEY}\naws_secret_access_key = ${BASE_SECRET}\n[profile cross]\nrole_arn = ${ROLE}\nsource_profile = base\n`;
const KEY = createHash("sha1").update(`{"RoleArn": "${ROLE}"}`).digest("hex");
/** A hang shows as a kill, not as a slow pass: every run must end well within this. */
const HANG_MS = 15_000;

let world: IsolatedEnv;
let sts: StsStub;
let cacheDir: string;

beforeEach(async () => {
  world = isolatedEnv();
  world.writeConfig(CONFIG);
  cacheDir = join(world.home, ".aws", "cli", "cache");
  sts = await startStsStub();
  sts.registerStatic(BASE_KEY, BASE_SECRET);
  world.env.AWS_ENDPOINT_URL_STS = sts.endpoint;
});
afterEach(async () => {
  await sts.close();
  world.cleanup();
});

const assumeRoles = () => sts.calls.filter((c) => c.action === "AssumeRole");
const get = (args: string[] = [], env: Record<string, string> = {}): Promise<RunResult> =>
  runHelper(["--profile", "cross", ...args, "get"], { env: { ...world.env, ...env }, stdin: REQUEST, timeoutMs: HANG_MS });

/** A successful answer carrying the n-th session the STS peer issued. */
function expectAnswer(r: RunResult, n = 0): void {
  const c = sts.issued[n];
  expect(c, "no session was issued").toBeDefined();
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout.split("\n")[0]).toBe(`username=${c!.accessKeyId}%${c!.sessionToken}`);
}

function entry(over: Record<string, string> = {}): string {
  const c = {
    AccessKeyId: "ASIAPLANTED000000001",
    SecretAccessKey: "planted-secret-0000000000",
    SessionToken: "planted-token-0000000000",
    Expiration: "2099-01-01T00:00:00Z",
    ...over,
  };
  return JSON.stringify({ Credentials: c });
}

function leftovers(): string[] {
  return readdirSync(cacheDir).filter((f) => f !== `${KEY}.json`);
}

describe("cache and lock files that would hang or flood a plain read", () => {
  const cases: ReadonlyArray<readonly [string, (path: string) => void, string]> = [
    ["a FIFO", (p) => execFileSync("mkfifo", [p]), "not a regular file"],
    ["a symbolic link to /dev/zero", (p) => symlinkSync("/dev/zero", p), "a symbolic link, not a regular file"],
    // Refused by its size alone, before a byte is read (main read it all: 4–20 s).
    ["a 512 MB file", (p) => (writeFileSync(p, ""), truncateSync(p, 512 * 1024 * 1024)), "536870912 bytes, over the 65536-byte limit"],
    ["a directory", (p) => mkdirSync(p), "not a regular file"],
  ];
  it.each(cases)("cache entry that is %s: a miss, answered through STS in bounded time", async (_, make, why) => {
    mkdirSync(cacheDir, { recursive: true });
    make(join(cacheDir, `${KEY}.json`));
    const r = await get(["--debug"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`username=${sts.issued[0]!.accessKeyId}%${sts.issued[0]!.sessionToken}`);
    expect(r.stderr).toContain(`role cache miss (${KEY}.json is ${why})`);
    expect(assumeRoles()).toHaveLength(1);
    expect(readdirSync(cacheDir).filter((f) => f.includes(".lock"))).toEqual([]);
  });
  it.each(cases)("lock file that is %s: answered without the lock; nothing left beside it", async (what, make) => {
    mkdirSync(cacheDir, { recursive: true });
    const lock = join(cacheDir, `${KEY}.lock`);
    make(lock);
    const r = await get();
    expectAnswer(r);
    expect(assumeRoles()).toHaveLength(1);
    // The planted thing stays (not ours to remove; a 512 MB file of ours is broken as a corrupt lock).
    expect(leftovers()).toEqual(what === "a 512 MB file" ? [] : [`${KEY}.lock`]);
    expect(readdirSync(cacheDir).some((f) => f.endsWith(".takeover") || f.endsWith(".broken") || f.endsWith(".tmp"))).toBe(false);
  });
});

describe("no stale lock", () => {
  it("a holder stopped by its own deadline (STS never answers) removes its lock on the way out", async () => {
    await sts.close();
    sts = await startStsStub({ hang: true });
    sts.registerStatic(BASE_KEY, BASE_SECRET);
    const r = await get([], { AWS_ENDPOINT_URL_STS: sts.endpoint });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("quit=1\n");
    expect(r.stderr.split("\n")).toHaveLength(2);
    expect(r.stderr).toMatch(
      /^git-credential-codecommit: could not reach STS at 127\.0\.0\.1:\d+ for profile cross role arn:aws:iam::222222222222:role\/dev: no answer within 9 s\. /,
    );
    // (How many attempts fit in the budget is the resolver's business, see limits.ts.)
    expect(assumeRoles().length).toBeGreaterThan(0);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

describe("entries that are misses, not errors", () => {
  it.each([
    ["a newline in the session token", { SessionToken: "planted-token\nquit=1" }],
    ["a NUL in the access key id", { AccessKeyId: "ASIAPLANTED\u0000000001" }],
    ["an impossible Expiration (no date roll-over)", { Expiration: "2099-13-45T99:99:99Z" }],
    ["an Expiration with a 24-hour offset", { Expiration: "2099-01-01T00:00:00+24:00" }],
  ])("%s: refreshed through STS", async (_, over) => {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, `${KEY}.json`), entry(over), { mode: 0o600 });
    expectAnswer(await get());
    expect(assumeRoles()).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(cacheDir, `${KEY}.json`), "utf8")).Credentials.AccessKeyId).toBe(sts.issued[0]!.accessKeyId);
  });
});

describe("cache directory hygiene: nothing planted is trusted, nothing written is readable by others", () => {
  it("an entry in a directory others can write is not used; --debug says why", async () => {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, `${KEY}.json`), entry(), { mode: 0o600 });
    chmodSync(cacheDir, 0o777);
    const r = await get(["--debug"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`username=${sts.issued[0]!.accessKeyId}%${sts.issued[0]!.sessionToken}`);
    expect(r.stderr).toContain(`role cache miss (not trusted: ${cacheDir} is writable by other users)`);
    expect(r.stderr).toContain(`role cache not trusted (${cacheDir} is writable by other users): refreshing without it`);
    // Nothing is written there, and no lock is taken there.
    expect(readdirSync(cacheDir)).toEqual([`${KEY}.json`]);
    expect(JSON.parse(readFileSync(join(cacheDir, `${KEY}.json`), "utf8")).Credentials.AccessKeyId).toBe("ASIAPLANTED000000001");
  });
  it("an entry owned by another user is not used; --debug says whose it is", async () => {
    mkdirSync(cacheDir, { recursive: true });
    const file = join(cacheDir, `${KEY}.json`);
    writeFileSync(file, entry(), { mode: 0o644 });
    const other = (process.getuid?.() ?? 0) === 65534 ? 65533 : 65534;
    chownSync(file, other, other);
    const r = await get(["--debug"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`username=${sts.issued[0]!.accessKeyId}%${sts.issued[0]!.sessionToken}`);
    expect(r.stderr).toContain(`role cache miss (${KEY}.json is owned by uid ${other}, not by this user)`);
    expect(statSync(file).uid).toBe(process.getuid?.());
  });
  it("a cache directory the helper creates is 0700", async () => {
    expect(existsSync(join(world.home, ".aws", "cli"))).toBe(false);
    expectAnswer(await get());
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheDir, `${KEY}.json`)).mode & 0o777).toBe(0o600);
  });
});

/** Whether this machine lets us make a private mount namespace (root, or an unprivileged userns). */
function canUnshare(): boolean {
  try {
    execFileSync("unshare", ["-m", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("leftovers", () => {
  it.skipIf(!canUnshare())("on a full disk: answered, and no 0-byte lock or entry temp file is left", async () => {
    // A 64 KiB tmpfs, filled up, in a mount namespace of its own; the listing is taken inside it.
    const mnt = join(world.dir, "full");
    mkdirSync(mnt);
    const out = join(world.dir, "out");
    const script = [
      `mount -t tmpfs -o size=64k tmpfs "$MNT"`,
      `mkdir -m 700 "$MNT/cache"`,
      `dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null || true`,
      `for i in 1 2 3; do "$BIN" --profile cross get <"$OUT.req" >"$OUT.$i" 2>"$OUT.$i.err"; done`,
      `ls -a "$MNT/cache" >"$OUT.ls"`,
    ].join("\n");
    writeFileSync(`${out}.req`, REQUEST);
    const env = { ...world.env, MNT: mnt, OUT: out, BIN: BINARY, AWS_CLI_CACHE_DIR: join(mnt, "cache") };
    const r = await runCommand(["unshare", "-m", "sh", "-c", script], { env, timeoutMs: 3 * HANG_MS });
    for (const i of [1, 2, 3])
      auditPrinted(
        { stdout: readFileSync(`${out}.${i}`, "utf8"), stderr: readFileSync(`${out}.${i}.err`, "utf8") },
        { env, peers: [sts], label: `get ${i} on a full disk` },
      );
    expect(r.stderr).toBe("");
    for (const i of [1, 2, 3]) {
      expect(readFileSync(`${out}.${i}.err`, "utf8")).toBe("");
      const c = sts.issued[i - 1]!;
      expect(readFileSync(`${out}.${i}`, "utf8").split("\n")[0]).toBe(`username=${c.accessKeyId}%${c.sessionToken}`);
    }
    expect(readFileSync(`${out}.ls`, "utf8")).toBe(".\n..\n");
  });
});

/**
 * git's request is read two ways (src/cli.ts): with node:fs when the AWS files follow (a profile is
 * named), with Bun's stream when the environment's keys answer. The pipe tests run both.
 */
const STDIN_READERS: Array<[string, string[], Record<string, string>]> = [
  ["with --profile (node:fs)", ["--profile", "base", "get"], {}],
  ["with environment credentials (Bun's stream)", ["get"], { AWS_ACCESS_KEY_ID: BASE_KEY, AWS_SECRET_ACCESS_KEY: BASE_SECRET }],
];

describe("git's pipes and arguments", () => {
  it.each(STDIN_READERS)("a request ended by its blank line is answered while git keeps stdin open, %s", async (_how, args, extraEnv) => {
    const child = spawn(BINARY, args, { env: { ...world.env, ...extraEnv }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.write(REQUEST); // and no end(): git waits for the answer before closing
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
      child.on("exit", (c) => (clearTimeout(timer), resolve(c)));
    });
    child.stdin.destroy();
    auditPrinted({ stdout, stderr }, { env: world.env, label: "get with stdin held open" });
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(`username=${BASE_KEY}`);
  });

  it("stdout on a full device: one line, exit 1", async () => {
    const r = await withStdio(["--profile", "base", "get"], { stdout: "/dev/full" });
    expect(r.stderr).toBe(
      "git-credential-codecommit: cannot write the answer to stdout (ENOSPC). Check where git's pipe, or your redirection, leads\n",
    );
    expect(r.code).toBe(1);
  });

  it.each(STDIN_READERS)("stdin that is a directory, %s: one line, exit 1", async (_how, args, extraEnv) => {
    const r = await withStdio(args, { stdin: world.dir }, extraEnv);
    expect(r.stderr).toBe(
      "git-credential-codecommit: cannot read git's request from stdin (EISDIR). Run it from git, which writes the request on stdin\n",
    );
    expect(r.code).toBe(1);
  });

  it("a profile name with a newline: one line, quit=1", async () => {
    const r = await runHelper(["--profile", "cross\nx", "get"], { env: world.env, stdin: REQUEST });
    expect(r.stderr).toBe(
      'git-credential-codecommit: the AWS profile name "cross\\nx" contains a control character, which no profile name can. Check --profile in the credential.helper setting and AWS_PROFILE\n',
    );
    expect(r.stdout).toBe("quit=1\n");
    expect(r.code).toBe(1);
  });

  it("a host with U+212A KELVIN SIGN gets nothing", async () => {
    const r = await runHelper(["--profile", "cross", "get"], {
      env: world.env,
      stdin: `protocol=https\nhost=vpce-1\u212a.git-codecommit.us-east-1.vpce.amazonaws.com\npath=v1/repos/demo\n\n`,
    });
    expect(r).toMatchObject({ stdout: "", stderr: "", code: 0 });
  });

  it("started from a working directory that was just removed, it still answers", async () => {
    const env = { ...world.env, D: join(world.dir, "gone"), BIN: BINARY };
    const r = await audited({ env, label: "get from a removed directory" }, () =>
      runCommand(["sh", "-c", 'mkdir "$D" && cd "$D" && rmdir "$D" && exec "$BIN" --profile base get'], {
        env,
        stdin: REQUEST,
        timeoutMs: HANG_MS,
      }),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`username=${BASE_KEY}`);
  });
});

/** Runs the helper with stdin or stdout opened on a path (a device, a directory). */
async function withStdio(
  args: string[],
  paths: { stdin?: string; stdout?: string },
  extraEnv: Record<string, string> = {},
): Promise<RunResult> {
  const input = paths.stdin ? openSync(paths.stdin, "r") : "pipe";
  const output = paths.stdout ? openSync(paths.stdout, "w") : "pipe";
  const env = { ...world.env, ...extraEnv };
  try {
    return await audited(
      { env, label: `helper ${args.join(" ")}` },
      () =>
        new Promise<RunResult>((resolve, reject) => {
          const child = spawn(BINARY, args, { env, stdio: [input, output, "pipe"] });
          let stderr = "";
          child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
          const timer = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
          child.on("error", reject);
          child.on("close", (code) => (clearTimeout(timer), resolve({ stdout: "", stderr, code, ms: 0 })));
          if (input === "pipe") child.stdin!.end(REQUEST);
        }),
    );
  } finally {
    if (typeof input === "number") closeSync(input);
    if (typeof output === "number") closeSync(output);
  }
}
