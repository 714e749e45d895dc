/**
 * Differential test of the password: for generated requests (every host form, random repository names,
 * with and without session tokens, random frozen times) the built binary and the reference
 * `aws codecommit credential-helper get` (pip AWS CLI v1, awscli/customizations/codecommit.py) print
 * the same username= and password= lines under the same `faketime -f` clock, credentials and stdin.
 * The cases come from a seeded PRNG, so every run checks the same ones.
 *
 * The AWS CLI starts Python for every case (about a second of CPU each), so the whole batch runs once
 * in `beforeAll` with its own bound, and each case then only compares what its two processes
 * printed: no case waits on the others, and no bound depends on how busy the machine is. Each
 * process has its own kill timer, so a hung one fails its case, not the batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSecrets } from "./support/no-secrets.js";
import { isolatedEnv } from "./support/isolated-env.js";
import { frozenAt, runCommand, runHelper, type RunResult } from "./support/run-binary.js";
import { prng } from "./support/prng.js";

const SEED = 0x5eed_c0de;
const CASES = 72;
const CONCURRENCY = 3;
/** Per process: catches a hang only (one run takes about a second, a few on a loaded machine). */
const PROCESS_HANG_MS = 60_000;
/** The whole batch: CASES / CONCURRENCY rounds, each far below PROCESS_HANG_MS on any machine. */
const BATCH_HANG_MS = 900_000;

interface Case {
  readonly label: string;
  /** As git sends it, possibly with a port. */
  readonly host: string;
  readonly path: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  /** UTC, "YYYY-mm-dd HH:MM:SS", for faketime -f. */
  readonly time: string;
  /** Only for hosts the CLI's case-sensitive region regex misses (mixed case): where it finds the region. */
  readonly cliRegion: string | undefined;
}

const REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "eu-south-2",
  "ap-northeast-1",
  "ap-southeast-2",
  "ap-south-1",
  "me-south-1",
  "af-south-1",
  "il-central-1",
];
const GOV_REGIONS = ["us-gov-west-1", "us-gov-east-1"];
const CN_REGIONS = ["cn-north-1", "cn-northwest-1"];
const FORMS = ["standard", "gov", "fips", "china", "vpce", "vpce-fips", "mixed-case"] as const;
const PORTS = ["", "", ":443", ":8443", ":1", ":65535"];

/** CodeCommit repository names: letters, digits, '.', '_', '-', 1 to 100 characters. */
const NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX = "0123456789abcdef";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Fixed edges first (leap days, year and day boundaries), then random times 1995–2099. */
const EDGE_TIMES = [
  "2017-12-24 11:53:20",
  "2000-02-29 00:00:00",
  "2024-02-29 23:59:59",
  "1999-12-31 23:59:59",
  "2038-01-19 03:14:08",
  "2099-12-31 23:59:59",
];

function generateCases(): Case[] {
  const rnd = prng(SEED);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const str = (alphabet: string, n: number): string => Array.from({ length: n }, () => pick([...alphabet])).join("");
  const mixCase = (s: string): string => [...s].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join("");

  const repoName = (i: number): string => {
    // Cover the extremes: 1 and 100 characters.
    const n = i % 11 === 0 ? 100 : i % 13 === 0 ? 1 : int(1, 40);
    for (;;) {
      const name = str(NAME_CHARS, n);
      // "." and ".." would be path segments, and CodeCommit refuses names ending in ".git".
      if (!/^\.+$/.test(name) && !name.toLowerCase().endsWith(".git")) return name;
    }
  };
  const vpcePrefix = (): string => `vpce-${str(HEX, pick([8, 17]))}-${str(LOWER_ALNUM, 8)}`;

  const cases: Case[] = [];
  for (let i = 0; i < CASES; i++) {
    const form = FORMS[i % FORMS.length] as (typeof FORMS)[number];
    let host: string;
    let cliRegion: string | undefined;
    switch (form) {
      case "standard":
        host = `git-codecommit.${pick(REGIONS)}.amazonaws.com`;
        break;
      case "gov":
        host = `git-codecommit.${pick(GOV_REGIONS)}.amazonaws.com`;
        break;
      case "fips":
        host = `git-codecommit-fips.${pick([...REGIONS.slice(0, 5), ...GOV_REGIONS])}.amazonaws.com`;
        break;
      case "china":
        host = `git-codecommit.${pick(CN_REGIONS)}.amazonaws.com.cn`;
        break;
      case "vpce":
        host = `${vpcePrefix()}.git-codecommit.${pick([...REGIONS, ...CN_REGIONS])}.vpce.amazonaws.com`;
        break;
      case "vpce-fips":
        host = `${vpcePrefix()}.git-codecommit-fips.${pick([...REGIONS.slice(0, 5), ...GOV_REGIONS])}.vpce.amazonaws.com`;
        break;
      case "mixed-case": {
        // The CLI's host check is a case-sensitive substring test for "amazonaws.com", and its region
        // regex is case-sensitive too; keep "amazonaws.com" and the region lowercase so it still
        // answers, and give it the region the way it then looks for it (AWS_DEFAULT_REGION).
        const kind = pick(["standard", "fips", "china", "vpce"] as const);
        const region = kind === "china" ? pick(CN_REGIONS) : pick([...REGIONS, ...GOV_REGIONS]);
        const prefix = kind === "fips" ? "git-codecommit-fips" : kind === "vpce" ? `${vpcePrefix()}.git-codecommit` : "git-codecommit";
        let mixed = mixCase(prefix);
        if (mixed === prefix) mixed = prefix.toUpperCase();
        const vpce = kind === "vpce" ? `${mixCase("vpce")}.` : "";
        host = `${mixed}.${region}.${vpce}amazonaws.com${kind === "china" ? mixCase(".cn") : ""}`;
        cliRegion = region;
        break;
      }
    }
    const temporary = i % 2 === 1;
    const time =
      i < EDGE_TIMES.length
        ? (EDGE_TIMES[i] as string)
        : new Date(int(Date.UTC(1995, 0, 1) / 1000, Date.UTC(2099, 11, 31, 23, 59, 59) / 1000) * 1000)
            .toISOString()
            .slice(0, 19)
            .replace("T", " ");
    cases.push({
      label: `${i} ${form}`,
      host: host + pick(PORTS),
      path: `v1/repos/${repoName(i)}`,
      accessKeyId: (temporary ? "ASIA" : "AKIA") + str(UPPER_ALNUM, 16),
      secretAccessKey: str(BASE64, 40),
      sessionToken: temporary ? `IQoJb3JpZ2luX2Vj${str(BASE64, int(100, 400))}` : undefined,
      time,
      cliRegion,
    });
  }
  return cases;
}

const cases = generateCases();
const iso = isolatedEnv();
iso.writeConfig("");
iso.writeCredentials("");
afterAll(() => iso.cleanup());

/** The environment both programs run with: the isolated world, the case's credentials, a frozen clock. */
function caseEnv(c: Case, forCli: boolean): Record<string, string> {
  return {
    ...iso.env,
    ...frozenAt(c.time).env,
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    ...(c.sessionToken ? { AWS_SESSION_TOKEN: c.sessionToken } : {}),
    ...(forCli && c.cliRegion ? { AWS_DEFAULT_REGION: c.cliRegion } : {}),
  };
}

const stdinFor = (c: Case): string => `protocol=https\nhost=${c.host}\npath=${c.path}\n\n`;

/** The reference: `aws codecommit credential-helper get` under the same faketime prefix. */
function runAwsCli(c: Case): Promise<RunResult> {
  return runCommand(["aws", "codecommit", "credential-helper", "get"], {
    env: caseEnv(c, true),
    wrap: frozenAt(c.time).wrap,
    stdin: stdinFor(c),
    timeoutMs: PROCESS_HANG_MS,
  });
}

interface Outcome {
  readonly cli: RunResult;
  readonly ours: RunResult;
}

/** Runs every case through both programs, CONCURRENCY cases at a time; started once, shared by the tests. */
async function runAll(): Promise<{ outcomes: Outcome[]; ms: number }> {
  const started = Date.now();
  const outcomes: Outcome[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i] as Case;
      const [cli, ours] = await Promise.all([
        runAwsCli(c),
        runHelper(["get"], { env: caseEnv(c, false), stdin: stdinFor(c), wrap: frozenAt(c.time).wrap, timeoutMs: PROCESS_HANG_MS }),
      ]);
      outcomes[i] = { cli, ours };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { outcomes, ms: Date.now() - started };
}

let batch: { outcomes: Outcome[]; ms: number } | undefined;

/** `YYYY-mm-dd HH:MM:SS` (UTC) → unix seconds. */
const unixSeconds = (time: string): number => Date.parse(`${time.replace(" ", "T")}Z`) / 1000;
const signingTimestamp = (time: string): string => time.replace(/[-:]/g, "").replace(" ", "T");

describe("differential: our binary vs aws codecommit credential-helper get", () => {
  beforeAll(async () => {
    batch = await runAll();
  }, BATCH_HANG_MS);

  it(`generates ${CASES} deterministic cases covering every host form, port, token and name length`, () => {
    expect(cases).toHaveLength(CASES);
    expect(new Set(cases.map((c) => c.label.split(" ")[1]))).toEqual(new Set(FORMS));
    expect(cases.filter((c) => c.sessionToken !== undefined)).toHaveLength(CASES / 2);
    expect(cases.some((c) => c.host.endsWith(":443"))).toBe(true);
    expect(cases.some((c) => /:(8443|1|65535)$/.test(c.host))).toBe(true);
    expect(cases.some((c) => c.host.endsWith(".amazonaws.com.cn"))).toBe(true);
    expect(cases.some((c) => c.path.length === "v1/repos/".length + 100)).toBe(true);
    expect(cases.some((c) => c.path.length === "v1/repos/".length + 1)).toBe(true);
    // Same seed, same cases: the first one is pinned so a change to the generator is noticed.
    expect(generateCases()).toEqual(cases);
    expect(cases[0]?.time).toBe("2017-12-24 11:53:20");
  });

  it("runs the AWS CLI in the isolated environment only", () => {
    const c = cases[1] as Case;
    const env = caseEnv(c, true);
    expect(env.HOME).toBe(iso.home);
    expect(env.AWS_CONFIG_FILE).toBe(iso.configFile);
    expect(env.AWS_SHARED_CREDENTIALS_FILE).toBe(iso.credentialsFile);
    expect(env.AWS_EC2_METADATA_DISABLED).toBe("true");
    expect(env.TZ).toBe("UTC");
    expect(env.FAKETIME_DONT_FAKE_MONOTONIC).toBe("1");
    expect(iso.home.startsWith(iso.dir)).toBe(true);
    expect(
      Object.keys(env)
        .filter((k) => k.startsWith("AWS_"))
        .sort(),
    ).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_CONFIG_FILE",
      "AWS_EC2_METADATA_DISABLED",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_SHARED_CREDENTIALS_FILE",
    ]);
  });

  for (const [i, c] of cases.entries()) {
    it(`${c.label}: ${c.host} ${c.path.length - 9}-char name${c.sessionToken ? ", session token" : ""} @ ${c.time}`, () => {
      expect(batch, "the batch in beforeAll did not finish").toBeDefined();
      const { cli, ours } = batch!.outcomes[i] as Outcome;

      // The oracle answered, at the frozen time (otherwise the case would prove nothing).
      expect(cli.stderr).toBe("");
      expect(cli.code).toBe(0);
      const cliLines = cli.stdout.split("\n");
      expect(cliLines).toHaveLength(3);
      expect(cliLines[2]).toBe("");
      const expectedUsername = c.sessionToken ? `${c.accessKeyId}%${c.sessionToken}` : c.accessKeyId;
      expect(cliLines[0]).toBe(`username=${expectedUsername}`);
      expect(cliLines[1]?.slice(0, "password=".length + 16)).toBe(`password=${signingTimestamp(c.time)}Z`);

      // Ours: the same two lines, then the expiry, and nothing else anywhere.
      // One comparison, so that a failure shows the exit code, stderr and time beside the missing answer.
      expect({ stdout: ours.stdout, stderr: ours.stderr, code: ours.code }, `ours ran ${ours.ms} ms`).toEqual({
        stdout: `${cliLines[0]}\n${cliLines[1]}\npassword_expiry_utc=${unixSeconds(c.time) + 900}\n`,
        stderr: "",
        code: 0,
      });
      const password = (cliLines[1] as string).slice("password=".length);
      expectNoSecrets(ours.stderr, [c.secretAccessKey, password, expectedUsername, ...(c.sessionToken ? [c.sessionToken] : [])]);
    });
  }

  // Reported, not asserted: budgets are the benchmark's business (bench/bench.ts), never a timed test.
  afterAll(() => {
    if (batch) console.log(`differential: ${CASES} cases, ${CONCURRENCY} at a time, in ${(batch.ms / 1000).toFixed(1)} s`);
  });
});
