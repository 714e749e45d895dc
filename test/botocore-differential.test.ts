/**
 * Differential test against botocore: for generated and targeted config/credentials files,
 * environments and --profile values, our reader and source decision (src/aws-config/) agree with
 * botocore 1.43 itself (the pip AWS CLI's), case by case: refused or accepted (and which file),
 * every profile's settings, the region, and which source with which key, token and role.
 *
 * botocore runs once for all cases (test/support/botocore-decide.py); no network, no process.
 * Deliberate differences are listed in README ("Deliberate differences from the AWS CLI") and are
 * not among these cases.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialSourceFor } from "../src/aws-config/credential-source-for.js";
import type { CanonicalSource, CredentialSource } from "../src/aws-config/credential-source.js";
import { isNested, parseNested } from "../src/aws-config/ini.js";
import { selectProfile } from "../src/aws-config/profile-name.js";
import { loadSharedConfig, type ProfileSettings } from "../src/aws-config/shared-config.js";
import { HelperError } from "../src/errors.js";
import {
  botocoreFixtureCases,
  generatedCases,
  largeCases,
  materialize,
  targetedCases,
  type MaterializedCase,
} from "./support/botocore-cases.js";

const GENERATED = 500;
const SEED = 0x8a_b07c;

const cases = [...targetedCases(), ...botocoreFixtureCases(), ...generatedCases(GENERATED, SEED), ...largeCases()];

/** Which of our HelperError kinds stands for each botocore refusal. */
const KIND_FOR: Readonly<Record<string, readonly string[]>> = {
  ConfigParseError: ["config-parse"],
  ProfileNotFound: ["unknown-profile"],
  PartialCredentialsError: ["credentials"],
  InvalidConfigError: ["profile-config", "unknown-profile"],
  InfiniteLoopConfigError: ["profile-config"],
  CredentialRetrievalError: ["no-credentials"],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface BotocoreResult {
  readonly id: string;
  readonly outcome: "accepted" | "refused";
  readonly error?: string;
  readonly path?: string;
  readonly line?: number | null;
  readonly message?: string;
  readonly [key: string]: Json | undefined;
}

let root = "";
let onDisk: MaterializedCase[] = [];
const oracle = new Map<string, BotocoreResult>();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "gcc-botocore-"));
  onDisk = cases.map((c, i) => materialize(root, i, c));
  const run = spawnSync("python3", [join(__dirname, "support", "botocore-decide.py")], {
    input: JSON.stringify({ cases: onDisk.map((c) => ({ id: c.id, env: c.env, profileArg: c.profileArg ?? null })) }),
    // Python reads files as UTF-8 whatever this machine's locale is (as on any UTF-8 desktop).
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PYTHONUTF8: "1", HOME: root },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
  });
  if (run.status !== 0) throw new Error(`botocore driver failed (${run.status ?? run.signal}): ${run.stderr}`);
  for (const result of (JSON.parse(run.stdout) as { results: BotocoreResult[] }).results) oracle.set(result.id, result);
}, 330_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/**
 * Our reading and decision, in the driver's JSON shape: first what a `get` reads (the source and
 * the region, which read only the sections they use), then every map listed (each file read whole).
 */
function ours(c: MaterializedCase, wholeBelowBytes: number | undefined): Record<string, Json> {
  let config: ReturnType<typeof loadSharedConfig>;
  let source: CredentialSource;
  let region: string | undefined;
  try {
    config = loadSharedConfig(c.env, wholeBelowBytes);
    source = credentialSourceFor({ profileArg: c.profileArg, env: c.env, config });
    region = config.profiles.get(selectProfile(c.profileArg, c.env).named ?? "default")?.region;
  } catch (err) {
    if (!(err instanceof HelperError)) throw err;
    return { outcome: "refused", kind: err.kind, problem: err.problem };
  }
  try {
    return {
      outcome: "accepted",
      profiles: mapJson(config.profiles),
      ssoSessions: mapJson(config.ssoSessions),
      services: mapJson(config.services),
      region: region === undefined ? null : settingJson(region),
      source: sourceJson(source),
    };
  } catch (err) {
    // The get's reading accepted what the whole reading refuses: never botocore's outcome.
    if (!(err instanceof HelperError)) throw err;
    return { outcome: "refused only when listed", kind: err.kind, problem: err.problem };
  }
}

function settingJson(value: string): Json {
  return isNested(value) ? (parseNested(value) as Record<string, string>) : value;
}

function mapJson(map: ReadonlyMap<string, ProfileSettings>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, settings] of map) {
    const entry: Record<string, Json> = {};
    for (const key of Object.keys(settings)) defineJson(entry, key, settingJson(settings[key] as string));
    defineJson(out, name, entry);
  }
  return out;
}

/** An own property even for names such as `__proto__` (as JSON.parse makes them). */
function defineJson(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function sourceJson(source: CredentialSource | CanonicalSource): Record<string, Json> {
  // A value botocore holds as a nested dictionary is compared as one (see README: nested blocks).
  const v = (value: string): Json => settingJson(value);
  const orNull = (value: string | number | undefined): Json => (value === undefined ? null : typeof value === "string" ? v(value) : value);
  switch (source.kind) {
    case "env":
      return {
        kind: "env",
        accessKeyId: v(source.accessKeyId),
        secretAccessKey: v(source.secretAccessKey),
        sessionToken: orNull(source.sessionToken),
        hasExpiration: source.expiration !== undefined,
      };
    case "static":
      return {
        kind: "static",
        accessKeyId: v(source.accessKeyId),
        secretAccessKey: v(source.secretAccessKey),
        sessionToken: orNull(source.sessionToken),
        file: source.file,
      };
    case "assume-role":
      return {
        kind: "assume-role",
        roleArn: v(source.roleArn),
        externalId: orNull(source.externalId),
        roleSessionName: orNull(source.roleSessionName),
        mfaSerial: orNull(source.mfaSerial),
        durationSeconds: orNull(source.durationSeconds),
        source: sourceJson(source.source),
      };
    case "canonical":
      return source.name === "Environment" && source.env ? sourceJson(source.env) : { kind: "canonical", name: source.name };
    case "web-identity":
      return {
        kind: "web-identity",
        roleArn: v(source.roleArn),
        tokenFile: v(source.tokenFile),
        roleSessionName: orNull(source.roleSessionName),
      };
    case "sso":
      return {
        kind: "sso",
        startUrl: v(source.startUrl),
        ssoRegion: v(source.ssoRegion),
        accountId: v(source.accountId),
        roleName: v(source.roleName),
        sessionName: orNull(source.sessionName),
      };
    case "process":
      return { kind: "process", profile: source.profile, command: v(source.command) };
    case "login-session":
      return { kind: "login-session", profile: source.profile, loginSession: v(source.loginSession) };
    case "container-or-imds":
      return { kind: "container-or-imds" };
  }
}

describe(`botocore ${cases.length} cases (${GENERATED} generated)`, () => {
  it("covers every outcome botocore has", () => {
    const outcomes = new Set([...oracle.values()].map((r) => (r.outcome === "refused" ? r.error : (r.source as { kind: string }).kind)));
    expect([...outcomes].sort()).toEqual(
      [
        "ConfigParseError",
        "CredentialRetrievalError",
        "InfiniteLoopConfigError",
        "InvalidConfigError",
        "PartialCredentialsError",
        "ProfileNotFound",
        "assume-role",
        "container-or-imds",
        "env",
        "login-session",
        "process",
        "sso",
        "static",
        "web-identity",
      ].sort(),
    );
  });

  /**
   * Each case read as a `get` reads it (a small file whole, a larger one on demand) and with every
   * file read on demand, whatever its size: most generated files are small, and both readings must
   * agree with botocore.
   */
  const READINGS = [
    ["as a get reads", undefined],
    ["every file on demand", 0],
  ] as const;

  it.each(cases.map((c, i) => [c.id, i] as const))("%s", (_id, index) => {
    const c = onDisk[index] as MaterializedCase;
    const expected = oracle.get(c.id);
    expect(expected, "botocore answered this case").toBeDefined();
    const { id: _ignored, message, path, line, error, ...botocore } = expected as BotocoreResult;
    for (const [reading, wholeBelowBytes] of READINGS) {
      const got = ours(c, wholeBelowBytes);
      if (botocore.outcome === "refused") {
        expect(
          { outcome: got.outcome, kind: KIND_FOR[error as string]?.includes(got.kind as string) ? error : got.kind },
          `${reading}; botocore: ${message}`,
        ).toEqual({
          outcome: "refused",
          kind: error,
        });
        if (error === "ConfigParseError") {
          // The file, and the line where configparser knows it (not for undecodable bytes or a nested block).
          const where = line === null ? `${path} line ` : `${path} line ${line} `;
          expect((got.problem as string).startsWith(where), `${reading}: ${got.problem} (botocore: ${where})`).toBe(true);
        }
      } else {
        expect(got, `${reading}${got.outcome === "refused" ? `: we refused: ${got.problem}` : ""}`).toEqual(botocore);
      }
    }
  });
});
