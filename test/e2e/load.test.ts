/**
 * Crowds: many gits at once against one session cache, through the built binary. Counts
 * are asserted (AssumeRole calls at the STS peer, answers); times are only reported, never
 * asserted. Events (the peer has the holder's call, the waiters have traced their miss) order the
 * steps, not sleeps.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolatedEnv, type IsolatedEnv } from "../support/isolated-env.js";
import { BINARY, runHelper, type RunResult } from "../support/run-binary.js";
import { audited } from "../support/secret-audit.js";
import { startStsStub, type StsStub, type StsStubOptions } from "../support/sts-stub.js";

const HOST = "git-codecommit.us-east-1.amazonaws.com";
const REQUEST = `protocol=https\nhost=${HOST}\npath=v1/repos/demo\n\n`;
const BASE_KEY = "AKIABASEEXAMPLE00001";
const BASE_SECRET = "base-secret-load-1111111111";
const ROLE = "arn:aws:iam::222222222222:role/dev";
const CONFIG = `[profile base]\naws_access_key_id = ${BASE_KEY}\naws_secret_access_key = ${BASE_SECRET}\n[profile cross]\nrole_arn = ${ROLE}\nsource_profile = base\n`;
const KEY = createHash("sha1").update(`{"RoleArn": "${ROLE}"}`).digest("hex");
/** Only a hang is caught: the 10 s bound on a failure plus room for two busy cores. */
const HANG_MS = 30_000;

let world: IsolatedEnv;
let cacheDir: string;
const stubs: StsStub[] = [];
const started: ChildProcess[] = [];

beforeEach(() => {
  world = isolatedEnv();
  world.writeConfig(CONFIG);
  cacheDir = join(world.home, ".aws", "cli", "cache");
});
afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(stubs.splice(0).map((s) => s.close()));
  world.cleanup();
});

async function stub(options: StsStubOptions = {}): Promise<StsStub> {
  const s = await startStsStub(options);
  s.registerStatic(BASE_KEY, BASE_SECRET);
  stubs.push(s);
  return s;
}

const assumeRoles = (s: StsStub) => s.calls.filter((c) => c.action === "AssumeRole");
const get = (sts: StsStub, args: string[] = []): Promise<RunResult> =>
  runHelper(["--profile", "cross", ...args, "get"], {
    env: { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint },
    stdin: REQUEST,
    timeoutMs: HANG_MS,
  });

/** Runs `n` gets with at most `width` in flight; returns them in order with the wall time. */
async function crowd(n: number, width: number, one: () => Promise<RunResult>): Promise<{ results: RunResult[]; ms: number }> {
  const results: RunResult[] = new Array(n);
  let next = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      for (let i = next++; i < n; i = next++) results[i] = await one();
    }),
  );
  return { results, ms: Date.now() - t0 };
}

function expectAll(results: RunResult[], sts: StsStub, n = 0): void {
  const c = sts.issued[n]!;
  const want = `username=${c.accessKeyId}%${c.sessionToken}`;
  const wrong = results.filter((r) => r.code !== 0 || r.stdout.split("\n")[0] !== want || r.stderr !== "");
  expect(
    wrong.map((r) => ({ code: r.code, stderr: r.stderr })),
    "every get answers with the one session",
  ).toEqual([]);
}

function stats(results: RunResult[]): string {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return `median ${ms[Math.floor(ms.length / 2)]} ms, max ${ms[ms.length - 1]} ms`;
}

describe("crowds", () => {
  it("200 concurrent warm gets (100 in flight): all answered from the cache, no STS call", async () => {
    const sts = await stub();
    expectAll([await get(sts)], sts);
    const { results, ms } = await crowd(200, 100, () => get(sts));
    expectAll(results, sts);
    expect(assumeRoles(sts)).toHaveLength(1);
    console.log(`[load] 200 warm gets: ${ms} ms in all; each ${stats(results)}; AssumeRole calls: ${assumeRoles(sts).length - 1}`);
  });

  it.each([0, 2_000, 5_000])("50 concurrent cold gets, STS answering after %i ms: exactly one AssumeRole", async (delayMs) => {
    const sts = await stub({ delayMs });
    const { results, ms } = await crowd(50, 50, () => get(sts, ["--debug"]));
    const c = sts.issued[0]!;
    const failed = results.filter((r) => r.code !== 0 || r.stdout.split("\n")[0] !== `username=${c.accessKeyId}%${c.sessionToken}`);
    expect(
      failed.map((r) =>
        r.stderr
          .split("\n")
          .filter((l) => !l.startsWith("[debug]"))
          .join("\n"),
      ),
      "every get answers",
    ).toEqual([]);
    expect(assumeRoles(sts)).toHaveLength(1);
    const count = (phrase: string) => results.filter((r) => r.stderr.includes(phrase)).length;
    const tally = {
      refreshed: count("role cache written"),
      waited: count("role cache filled by another process"),
      warm: count("role cache hit"),
    };
    expect(tally.refreshed).toBe(1);
    console.log(
      `[load] 50 cold gets, STS ${delayMs} ms: ${ms} ms in all; each ${stats(results)}; AssumeRole calls: ${assumeRoles(sts).length}; ${JSON.stringify(tally)}`,
    );
    expect(readdirSync(cacheDir)).toEqual([`${KEY}.json`]);
  });
});

describe("a lock holder that dies", () => {
  it("kill -9 of the holder while 10 waiters wait: one more AssumeRole, everyone answered", async () => {
    const hanging = await stub({ hang: true });
    const sts = await stub();
    const holder = spawnGet(hanging);
    await until(() => assumeRoles(hanging).length === 1 && existsSync(join(cacheDir, `${KEY}.lock`)));
    // Waiters with --debug: their "role cache miss" line says they are at the lock.
    const waiters = Array.from({ length: 10 }, () => traced(sts));
    await until(() => waiters.every((w) => w.stderr().includes("role cache miss")));
    const killedAt = Date.now();
    holder.kill("SIGKILL");
    const results = await Promise.all(waiters.map((w) => w.done));
    const c = sts.issued[0]!;
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.stdout.split("\n")[0]).toBe(`username=${c.accessKeyId}%${c.sessionToken}`);
    }
    expect(assumeRoles(sts)).toHaveLength(1);
    console.log(
      `[load] kill -9 of the lock holder: 10 waiters answered ${Date.now() - killedAt} ms after the kill; AssumeRole calls after it: ${assumeRoles(sts).length}`,
    );
    expect(readdirSync(cacheDir)).toEqual([`${KEY}.json`]);
  });

  it("a zombie holder (killed, never reaped) is dead: the next gets make one AssumeRole between them", async () => {
    const hanging = await stub({ hang: true });
    const sts = await stub();
    // `exec sleep` becomes the helper's parent and never reaps it: once killed, it is a zombie.
    const parent = spawn("sh", ["-c", '"$BIN" --profile cross get <"$REQ" >/dev/null 2>&1 & echo $!; exec sleep 600'], {
      env: { ...world.env, AWS_ENDPOINT_URL_STS: hanging.endpoint, BIN: BINARY, REQ: requestFile() },
      stdio: ["ignore", "pipe", "ignore"],
    });
    started.push(parent);
    const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()))));
    await until(() => assumeRoles(hanging).length === 1 && existsSync(join(cacheDir, `${KEY}.lock`)));
    process.kill(pid, "SIGKILL");
    await until(() => stateOf(pid) === "Z");
    const killedAt = Date.now();
    const results = await Promise.all(Array.from({ length: 5 }, () => get(sts)));
    expectAll(results, sts);
    expect(assumeRoles(sts)).toHaveLength(1);
    console.log(
      `[load] zombie lock holder: 5 gets answered ${Date.now() - killedAt} ms after it died; AssumeRole calls: ${assumeRoles(sts).length}`,
    );
  });
});

function spawnGet(sts: StsStub): ChildProcess {
  const child = spawn(BINARY, ["--profile", "cross", "get"], {
    env: { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint },
    stdio: ["pipe", "ignore", "ignore"],
  });
  started.push(child);
  child.stdin!.end(REQUEST);
  return child;
}

/** A get with --debug whose stderr can be watched while it runs. */
function traced(sts: StsStub): { stderr: () => string; done: Promise<RunResult> } {
  const child = spawn(BINARY, ["--profile", "cross", "--debug", "get"], {
    env: { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint },
    stdio: ["pipe", "pipe", "pipe"],
  });
  started.push(child);
  let stdout = "";
  let stderr = "";
  const t0 = Date.now();
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin!.end(REQUEST);
  const timer = setTimeout(() => child.kill("SIGKILL"), HANG_MS);
  const env = { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint };
  const done = audited(
    { env, peers: [sts], label: "get --debug" },
    () =>
      new Promise<RunResult>((resolve) =>
        child.on("close", (code) => (clearTimeout(timer), resolve({ stdout, stderr, code, ms: Date.now() - t0 }))),
      ),
  );
  return { stderr: () => stderr, done };
}

function requestFile(): string {
  const file = join(world.dir, "request");
  writeFileSync(file, REQUEST);
  return file;
}

/** A process's state letter from /proc (R, S, Z, …), or "" once it is gone. */
function stateOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return "";
  }
}

async function until(cond: () => boolean, timeoutMs = HANG_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
