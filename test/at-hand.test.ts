/**
 * Credentials at hand (src/credentials/at-hand.ts, the warm path that loads no network code) are
 * exactly what the full path would produce. For every configuration the botocore differential generator makes (plus the targeted
 * and botocore-fixture cases), with a fresh cache entry written for every role, web identity and SSO
 * profile, the fast path either declines or answers with what fetch.ts's fetchCredentials
 * answers (same credentials, or the same refusal), and it answers for every env, static and cached
 * role, web identity and SSO source.
 * No network: STS points at a closed port and instance metadata is off.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleArgs, webIdentityArgs } from "../src/session-cache/assume-role-request.js";
import { credentialsAtHand } from "../src/credentials/at-hand.js";
import { type CheckedProfile, checkProfile } from "../src/credentials/check-profile.js";
import { fetchCredentials } from "../src/credentials/fetch.js";
import { roleCacheKey, ssoCacheKey } from "../src/session-cache/key.js";
import { formatCacheEntry, writeCacheEntry } from "../src/session-cache/entry.js";
import { missingSsoSettings, ssoRoleArgs } from "../src/session-cache/sso-session-args.js";
import { HelperError } from "../src/errors.js";
import { createTracer } from "../src/trace.js";
import { botocoreFixtureCases, generatedCases, materialize, targetedCases, type MaterializedCase } from "./support/botocore-cases.js";

const NOW = new Date("2026-03-01T12:00:00Z");
const cases = [...targetedCases(), ...botocoreFixtureCases(), ...generatedCases(1500, 0x8a_b07c)];

let root = "";
let onDisk: MaterializedCase[] = [];
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "gcc-at-hand-"));
  onDisk = cases.map((c, i) => {
    const m = materialize(root, i, c);
    const cacheDir = join(root, `case-${i}`, "cli-cache");
    return {
      ...m,
      env: { ...m.env, AWS_CLI_CACHE_DIR: cacheDir, AWS_ENDPOINT_URL_STS: "http://127.0.0.1:1", AWS_EC2_METADATA_DISABLED: "true" },
    };
  });
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** What a path gave: the credentials, or the refusal's one line. */
type Outcome = { readonly credentials: unknown } | { readonly refused: string };

async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    return { credentials: await run() };
  } catch (err) {
    if (err instanceof HelperError) return { refused: err.userLine() };
    throw err;
  }
}

function fullPath(c: MaterializedCase, checked: CheckedProfile): Promise<unknown> {
  return fetchCredentials(
    {
      profile: c.profileArg,
      hostRegion: "us-east-1",
      env: c.env,
      trace: createTracer(false, () => {}),
      promptMfa: () => "000000",
      canPrompt: () => false,
      now: () => NOW,
    },
    checked,
  );
}

/** The cache key of `source`'s session: a role, a web identity role or an SSO role the profile can have. */
function sessionKey(checked: CheckedProfile): string | undefined {
  const { source } = checked;
  if (source.kind === "assume-role") return roleCacheKey(roleArgs(source));
  if (source.kind === "web-identity") return roleCacheKey(webIdentityArgs(source));
  if (source.kind === "sso" && missingSsoSettings(source).length === 0) return ssoCacheKey(ssoRoleArgs(source));
  return undefined;
}

/** A session for `source`, fresh for an hour, in the case's cache directory. */
function cacheSession(c: MaterializedCase, checked: CheckedProfile): void {
  const key = sessionKey(checked);
  if (key === undefined) return;
  writeCacheEntry(
    c.env.AWS_CLI_CACHE_DIR as string,
    key,
    formatCacheEntry({
      accessKeyId: "ASIACACHED",
      secretAccessKey: "cached-secret-0123456789",
      sessionToken: `token-for-${key}`,
      expiration: new Date(NOW.getTime() + 3_600_000),
    }),
  );
}

/** The sources the fast path must answer for, given a fresh cache entry. */
const AT_HAND = ["env", "static", "assume-role", "web-identity", "sso"];

describe(`the fast path against the full path, ${cases.length} configurations`, () => {
  it("answers as fetchCredentials does wherever it answers, and answers for every env, static and cached role, web identity and SSO source", async () => {
    const answered: Record<string, number> = {};
    for (const c of onDisk) {
      let checked: CheckedProfile;
      try {
        checked = await checkProfile(c.profileArg, c.env);
      } catch (err) {
        // Refused while deciding: the same refusal for both paths, which share the decision.
        expect(err, c.id).toBeInstanceOf(HelperError);
        continue;
      }
      cacheSession(c, checked);
      const fast = await outcome(() => credentialsAtHand(checked.source, { env: c.env, now: NOW, trace: createTracer(false, () => {}) }));
      const kind = checked.source.kind;
      if ("credentials" in fast && fast.credentials === undefined) {
        expect(AT_HAND, `${c.id}: ${kind} declined`).not.toContain(kind);
        continue;
      }
      expect(AT_HAND, `${c.id}: ${kind} answered`).toContain(kind);
      expect(fast, c.id).toEqual(await outcome(() => fullPath(c, checked)));
      answered[kind] = (answered[kind] ?? 0) + 1;
    }
    // Each kind is exercised many times over, not by luck once.
    expect(Object.keys(answered).sort()).toEqual(["assume-role", "env", "sso", "static", "web-identity"]);
    for (const n of Object.values(answered)) expect(n).toBeGreaterThan(10);
  });
});

describe("the fast path declines what only the full path can judge", () => {
  const role =
    "[profile base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret-123456\n[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n";
  let dir = "";
  let env: Record<string, string> = {};
  let checked: CheckedProfile;
  beforeAll(async () => {
    const m = materialize(root, 100_000, { id: "decline", config: role });
    dir = join(root, "decline-cache");
    env = { ...m.env, AWS_CLI_CACHE_DIR: dir };
    checked = await checkProfile("r", env);
  });
  const atHand = () => credentialsAtHand(checked.source, { env, now: NOW, trace: createTracer(false, () => {}) });
  const write = (minutesLeft: number) =>
    writeCacheEntry(
      dir,
      roleCacheKey(roleArgs(checked.source as Parameters<typeof roleArgs>[0])),
      formatCacheEntry({
        accessKeyId: "ASIAX",
        secretAccessKey: "secret-x-0123456789",
        sessionToken: "tok",
        expiration: new Date(NOW.getTime() + minutesLeft * 60_000),
      }),
    );

  it("no cache entry: declined (STS must be asked)", () => {
    expect(atHand()).toBeUndefined();
  });

  it("an entry with less than 15 minutes left: declined, as botocore refreshes it", () => {
    write(14);
    expect(atHand()).toBeUndefined();
    write(16);
    expect(atHand()).toMatchObject({ accessKeyId: "ASIAX", sessionToken: "tok" });
  });

  it("a cache directory others may write to: declined, the entry not trusted", () => {
    write(60);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    try {
      expect(atHand()).toBeUndefined();
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
