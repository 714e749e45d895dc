/**
 * The side-by-side start-up benchmark (issue 3, contract §10): this binary's `get`, `store`,
 * `erase` and foreign-host paths, the bare start of the Bun that compiled it, the npm bin under
 * node, and `aws codecommit credential-helper get` (pip AWS CLI v1 and, when present, Debian's v2),
 * all with the same credentials and input, in one run. Prints one table, the budgets, and exits 1
 * when a budget is missed.
 *
 * Usage: npm run bench [-- --runs=N]   (runs: timed runs per row, at least 30; default 40)
 *
 * Timing is hyperfine's (Debian package `hyperfine`): median, min and max over N runs after 5
 * warm-up runs. Peak RSS is the maximum resident set size from /usr/bin/time (package `time`) over 5
 * runs. Nothing leaves the machine: every run gets an isolated HOME and AWS config
 * (test/support/isolated-env.ts, which disables instance metadata), and the assume-role row calls
 * a loopback STS peer (test/support/sts-stub.ts).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { isolatedEnv } from "../test/support/isolated-env.js";
import { BINARY, NODE_BIN, ROOT } from "../test/support/run-binary.js";
import { startStsStub } from "../test/support/sts-stub.js";

const BUN = join(ROOT, "node_modules", ".bin", "bun");
const RUNS = Math.max(30, Number(/^--runs=(\d+)$/.exec(process.argv.find((a) => a.startsWith("--runs=")) ?? "")?.[1] ?? 40));
const WARMUP = 5;
const RSS_RUNS = 5;

const HOST = "git-codecommit.us-east-1.amazonaws.com";
const STATIC_KEY = "AKIABENCHSTATIC00001";
const STATIC_SECRET = "bench-static-secret-000000000000000000000";
const ENV_KEY = "AKIABENCHENVIRON0001";
const ENV_SECRET = "bench-env-secret-00000000000000000000000";
const ROLE = "arn:aws:iam::222222222222:role/bench";

interface Row {
  readonly what: string;
  /** argv; run with stdin from `input`. */
  readonly argv: readonly string[];
  readonly input: string;
  readonly env: Record<string, string>;
  /** This binary's rows count towards the RSS budget. */
  readonly ours: boolean;
}

interface Result {
  readonly row: Row;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rssMb: number | undefined;
}

interface Exit {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command without blocking this process, whose event loop serves the STS peer meanwhile.
 * stdin: a file to read from, or bytes.
 */
function exec(cmd: string, args: readonly string[], env: Record<string, string>, stdin: { file: string } | { bytes: Buffer }): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const fd = "file" in stdin ? openSync(stdin.file, "r") : undefined;
    const child = spawn(cmd, args, { env, stdio: [fd ?? "pipe", "pipe", "pipe"] });
    if (fd !== undefined) closeSync(fd);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    if ("bytes" in stdin) child.stdin!.end(stdin.bytes);
  });
}

function which(cmd: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The pip AWS CLI's real script: a pyenv shim would add its own ~25 ms to every run. */
function awsCliV1(): string | undefined {
  const found = which("aws");
  if (!found || found === "/usr/bin/aws") return undefined;
  if (found.includes("/shims/")) {
    const real = spawnSync("pyenv", ["which", "aws"], { encoding: "utf8" });
    if (real.status === 0) return real.stdout.trim();
  }
  return found;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function hyperfineSupportsInput(): boolean {
  return spawnSync("hyperfine", ["--help"], { encoding: "utf8" }).stdout.includes("--input");
}

/** Median, min and max in ms, from hyperfine (or, without it, a plain timed loop). */
async function time(row: Row, scratch: string, hasHyperfine: boolean, inputFlag: boolean): Promise<{ median: number; min: number; max: number }> {
  if (hasHyperfine) {
    const json = join(scratch, "hyperfine.json");
    const command = row.argv.map(shellQuote).join(" ");
    // Without --input (hyperfine < 1.17) the command runs under sh with the redirection, and
    // hyperfine subtracts the measured cost of starting that shell.
    const args = inputFlag ? ["-N", "--input", row.input, command] : ["--shell=sh", `${command} < ${shellQuote(row.input)}`];
    const r = await exec("hyperfine", ["--style=none", `--warmup=${WARMUP}`, `--runs=${RUNS}`, `--export-json=${json}`, ...args], row.env, { file: "/dev/null" });
    if (r.status !== 0) throw new Error(`hyperfine failed for ${row.what}: ${r.stderr}`);
    const result = JSON.parse(readFileSync(json, "utf8")).results[0] as { median: number; min: number; max: number };
    return { median: result.median * 1000, min: result.min * 1000, max: result.max * 1000 };
  }
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const started = performance.now();
    await exec(row.argv[0] as string, row.argv.slice(1), row.env, { file: row.input });
    const ms = performance.now() - started;
    if (i >= WARMUP) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length / 2;
  const median = samples.length % 2 ? (samples[Math.floor(mid)] as number) : ((samples[mid - 1] as number) + (samples[mid] as number)) / 2;
  return { median, min: samples[0] as number, max: samples[samples.length - 1] as number };
}

/** Peak resident set size in MB, the largest of a few runs (GNU time's %M, in KiB). */
async function peakRss(row: Row, scratch: string): Promise<number | undefined> {
  if (!existsSync("/usr/bin/time")) return undefined;
  let peak = 0;
  const out = join(scratch, "time.txt");
  for (let i = 0; i < RSS_RUNS; i++) {
    await exec("/usr/bin/time", ["-f", "%M", "-o", out, ...row.argv], row.env, { file: row.input });
    peak = Math.max(peak, Number(readFileSync(out, "utf8").trim().split("\n").pop()));
  }
  return peak / 1024;
}

/** Runs a row once and returns its stdout, failing loudly on anything but a clean answer. */
async function answer(row: Row, wrap: readonly string[] = [], extraEnv: Record<string, string> = {}): Promise<string> {
  const [cmd, ...args] = [...wrap, ...row.argv] as [string, ...string[]];
  const r = await exec(cmd, args, { ...row.env, ...extraEnv }, { file: row.input });
  if (r.status !== 0 || r.stderr !== "") throw new Error(`${row.what} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function compressedSizes(file: string): string {
  const parts = [`gzip -9: ${mb(gzipSync(readFileSync(file), { level: 9 }).length)}`];
  if (which("xz")) {
    const xz = spawnSync("sh", ["-c", `xz -6 -T0 -c ${shellQuote(file)} | wc -c`], { encoding: "utf8" });
    if (xz.status === 0) parts.push(`xz -6: ${mb(Number(xz.stdout.trim()))}`);
  }
  return parts.join(", ");
}

async function main(): Promise<number> {
  for (const f of [BINARY, NODE_BIN]) {
    if (!existsSync(f)) {
      console.error(`${f} is missing: run "npm run build" first`);
      return 1;
    }
  }
  const hasHyperfine = which("hyperfine") !== undefined;
  if (!hasHyperfine) {
    console.error("hyperfine not found (Debian: apt-get install hyperfine); timing with a plain loop instead, which adds the spawn cost.");
  }
  const inputFlag = hasHyperfine && hyperfineSupportsInput();

  const world = isolatedEnv();
  const sts = await startStsStub();
  try {
    sts.registerStatic(STATIC_KEY, STATIC_SECRET);
    world.writeCredentials(`[static]\naws_access_key_id = ${STATIC_KEY}\naws_secret_access_key = ${STATIC_SECRET}\n`);
    world.writeConfig(`[profile static]\nregion = us-east-1\n\n[profile cross]\nrole_arn = ${ROLE}\nsource_profile = static\nregion = us-east-1\n`);
    const getInput = join(world.dir, "get.txt");
    const foreignInput = join(world.dir, "foreign.txt");
    writeFileSync(getInput, `protocol=https\nhost=${HOST}\npath=v1/repos/bench\n\n`);
    writeFileSync(foreignInput, "protocol=https\nhost=github.com\npath=octo/bench.git\n\n");
    const profileEnv = { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint };
    const envCreds = { ...profileEnv, AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: ENV_SECRET };

    const bunVersion = execFileSync(BUN, ["--version"], { encoding: "utf8" }).trim();
    const ours = (what: string, args: string[], input: string, env: Record<string, string>): Row => ({
      what,
      argv: [BINARY, ...args],
      input,
      env,
      ours: true,
    });
    const rows: Row[] = [
      ours("get, env credentials", ["get"], getInput, envCreds),
      ours("get, static --profile", ["--profile", "static", "get"], getInput, profileEnv),
      ours("get, assume-role --profile (warm role cache)", ["--profile", "cross", "get"], getInput, profileEnv),
      ours("store", ["store"], getInput, envCreds),
      ours("erase", ["erase"], getInput, envCreds),
      ours("get, foreign host", ["get"], foreignInput, envCreds),
      { what: `bare start: bun ${bunVersion} -e 0`, argv: [BUN, "-e", "0"], input: getInput, env: envCreds, ours: false },
      { what: `npm bin under node ${execFileSync("node", ["--version"], { encoding: "utf8" }).trim()}: get, env credentials`, argv: ["node", NODE_BIN, "get"], input: getInput, env: envCreds, ours: false },
      { what: "bare start: node -e 0", argv: ["node", "-e", "0"], input: getInput, env: envCreds, ours: false },
    ];
    const v1 = awsCliV1();
    const v2 = existsSync("/usr/bin/aws") ? "/usr/bin/aws" : undefined;
    const awsRows: Array<[string, string]> = [];
    if (v1) awsRows.push([`AWS CLI ${awsVersion(v1, world.env)}`, v1]);
    if (v2) awsRows.push([`AWS CLI ${awsVersion(v2, world.env)} (Debian)`, v2]);
    for (const [name, exe] of awsRows) {
      rows.push({ what: `${name}: get, env credentials`, argv: [exe, "codecommit", "credential-helper", "get"], input: getInput, env: envCreds, ours: false });
      rows.push({ what: `${name}: get, static --profile`, argv: [exe, "--profile", "static", "codecommit", "credential-helper", "get"], input: getInput, env: profileEnv, ours: false });
    }

    // Same credentials, same input, same frozen clock: the same password as the AWS CLI, or the
    // comparison is meaningless.
    const frozen = ["faketime", "-f", "2017-12-24 11:53:20"];
    const frozenEnv = { FAKETIME_DONT_FAKE_MONOTONIC: "1", TZ: "UTC" };
    if (v1 && which("faketime")) {
      const mine = (await answer(rows[0] as Row, frozen, frozenEnv)).split("\n").slice(0, 2).join("\n");
      const theirs = (await answer({ ...(rows[0] as Row), argv: [v1, "codecommit", "credential-helper", "get"] }, frozen, frozenEnv)).trim();
      if (mine !== theirs) throw new Error(`the AWS CLI answers differently:\n${theirs}\nours:\n${mine}`);
    }
    // Warm the role cache once (issue 4); the timed runs then should call STS no more.
    await answer(rows[2] as Row);
    const stsCallsBefore = sts.calls.length;

    const results: Result[] = [];
    for (const row of rows) {
      await answer(row);
      const t = await time(row, world.dir, hasHyperfine, inputFlag);
      results.push({ row, ...t, rssMb: await peakRss(row, world.dir) });
      process.stderr.write(`  ${row.what}: ${t.median.toFixed(2)} ms\n`);
    }
    const stsCallsTimed = sts.calls.length - stsCallsBefore;

    printTable(results, inputFlag, hasHyperfine);
    console.log(`STS calls during the timed assume-role runs: ${stsCallsTimed}${stsCallsTimed ? " (role cache not in effect)" : " (every run answered from the role cache)"}`);
    const size = statSync(BINARY).size;
    console.log(`Binary ${BINARY.slice(ROOT.length + 1)}: ${mb(size)} (${size} bytes); ${compressedSizes(BINARY)}`);
    console.log(`npm bin ${NODE_BIN.slice(ROOT.length + 1)}: ${(statSync(NODE_BIN).size / 1024).toFixed(0)} KB\n`);
    return checkBudgets(results, v1 !== undefined) ? 0 : 1;
  } finally {
    await sts.close();
    world.cleanup();
  }
}

function awsVersion(exe: string, env: Record<string, string>): string {
  const r = spawnSync(exe, ["--version"], { encoding: "utf8", env });
  return /aws-cli\/(\S+)/.exec(r.stdout + r.stderr)?.[1] ?? "?";
}

function printTable(results: Result[], inputFlag: boolean, hasHyperfine: boolean): void {
  const bare = results.find((r) => r.row.what.startsWith("bare start: bun"))!.median;
  const ourGet = results[0]!.median;
  const how = hasHyperfine ? `hyperfine, ${WARMUP} warm-up + ${RUNS} runs${inputFlag ? "" : ", stdin via sh redirection with shell start-up subtracted"}` : `plain loop, ${RUNS} runs`;
  console.log(`\n${new Date().toISOString()}  ${cpuModel()}, ${spawnSync("nproc", { encoding: "utf8" }).stdout.trim()} cores; ${how}`);
  console.log("| what | median ms | min ms | max ms | × bun start | AWS CLI ÷ this | peak RSS MB |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const isAws = r.row.what.startsWith("AWS CLI");
    const mine = isAws ? (r.row.what.includes("static") ? results[1]!.median : ourGet) : undefined;
    console.log(
      `| ${r.row.what} | ${r.median.toFixed(2)} | ${r.min.toFixed(2)} | ${r.max.toFixed(2)} | ${(r.median / bare).toFixed(2)} | ${mine ? `${(r.median / mine).toFixed(1)}×` : ""} | ${r.rssMb === undefined ? "n/a" : r.rssMb.toFixed(1)} |`,
    );
  }
  if (!existsSync("/usr/bin/time")) console.log("(peak RSS needs GNU time: apt-get install time)");
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? process.arch;
  } catch {
    return process.arch;
  }
}

/** Contract §10 and issue 3. Prints each budget with its verdict; false when a hard one is missed. */
function checkBudgets(results: Result[], haveAwsV1: boolean): boolean {
  const by = (what: string) => results.find((r) => r.row.what === what)!;
  const bare = results.find((r) => r.row.what.startsWith("bare start: bun"))!.median;
  const getEnv = by("get, env credentials").median;
  const getStatic = by("get, static --profile").median;
  const role = by("get, assume-role --profile (warm role cache)").median;
  const awsV1 = results.find((r) => r.row.what.startsWith("AWS CLI 1") && r.row.what.endsWith("env credentials"));
  const checks: Array<[string, boolean, boolean]> = [
    [`get (env) median ${getEnv.toFixed(2)} ms ≤ 20 ms`, getEnv <= 20, true],
    [`get (static profile) median ${getStatic.toFixed(2)} ms ≤ 20 ms`, getStatic <= 20, true],
    [`get (assume-role, warm) ${role.toFixed(2)} ms within 3 ms of static ${getStatic.toFixed(2)} ms`, role <= getStatic + 3, true],
    [`aim: get (env) ${(getEnv / bare).toFixed(2)}× bun start ≤ 2×`, getEnv <= 2 * bare, false],
  ];
  if (awsV1) checks.push([`AWS CLI v1 ${(awsV1.median / getEnv).toFixed(1)}× slower than get (env) ≥ 12×`, awsV1.median >= 12 * getEnv, true]);
  else if (!haveAwsV1) checks.push(["AWS CLI v1 not found (pip install awscli): speed-up not measured", false, false]);
  for (const what of ["store", "erase", "get, foreign host"]) {
    const m = by(what).median;
    checks.push([`${what} ${(m / bare).toFixed(2)}× bun start (${m.toFixed(2)} / ${bare.toFixed(2)} ms) ≤ 1.5×`, m <= 1.5 * bare, true]);
  }
  const rss = Math.max(...results.filter((r) => r.row.ours).map((r) => r.rssMb ?? 0));
  if (results.some((r) => r.rssMb !== undefined)) checks.push([`peak RSS ${rss.toFixed(1)} MB ≤ 60 MB`, rss <= 60, true]);
  console.log("Budgets:");
  let ok = true;
  for (const [text, pass, hard] of checks) {
    console.log(`  ${pass ? "✓" : hard ? "✗" : "·"} ${text}`);
    if (hard && !pass) ok = false;
  }
  return ok;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
