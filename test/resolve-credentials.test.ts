/**
 * Resolution in-process against the local STS stub: MFA asked only on a cache miss, the code the
 * user typed (never a placeholder) sent as TokenCode, each hop of a chain cached under botocore's
 * key, and credentials at hand resolved without any network.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSharedConfig } from "../src/credentials/config-files.js";
import { checkProfile } from "../src/credentials/check-profile.js";
import { resolveCredentials } from "../src/credentials/resolve-credentials.js";
import { roleCacheKey } from "../src/session-cache/key.js";
import { createTracer } from "../src/trace.js";
import { isolatedEnv, type IsolatedEnv } from "./support/isolated-env.js";
import { startStsStub, type StsStub } from "./support/sts-stub.js";

const SERIAL = "arn:aws:iam::111111111111:mfa/dev";
const BASE = "[profile base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = base-secret-1234567890\n";

let world: IsolatedEnv;
let sts: StsStub;
let prompts: string[];
beforeEach(async () => {
  world = isolatedEnv();
  sts = await startStsStub();
  world.env.AWS_ENDPOINT_URL_STS = sts.endpoint;
  prompts = [];
});
afterEach(async () => {
  await sts.close();
  world.cleanup();
});

async function resolve(profile: string | undefined, env: Record<string, string> = world.env) {
  return resolveCredentials(
    {
      profile,
      hostRegion: "us-east-1",
      env,
      trace: createTracer(false, () => {}),
      promptMfa: (serial, name) => {
        prompts.push(`${name} ${serial}`);
        return "123456";
      },
      canPrompt: () => true,
    },
    await checkProfile(profile, env),
  );
}

describe("resolveCredentials", () => {
  it("asks for the MFA code only on a cache miss, and sends what was typed", async () => {
    world.writeConfig(
      `${BASE}[profile mfa]\nrole_arn = arn:aws:iam::222222222222:role/admin\nsource_profile = base\nmfa_serial = ${SERIAL}\n`,
    );
    const first = await resolve("mfa");
    const second = await resolve("mfa");
    expect(prompts).toEqual([`mfa ${SERIAL}`]);
    expect(second).toEqual(first);
    const assumes = sts.calls.filter((c) => c.action === "AssumeRole");
    expect(assumes.map((c) => [c.params.SerialNumber, c.params.TokenCode])).toEqual([[SERIAL, "123456"]]);
  });

  it("never sends a placeholder TokenCode, on any hop of a chain with MFA in the middle", async () => {
    world.writeConfig(
      `${BASE}[profile inner]\nrole_arn = arn:aws:iam::222222222222:role/inner\nsource_profile = base\nmfa_serial = ${SERIAL}\n` +
        "[profile outer]\nrole_arn = arn:aws:iam::333333333333:role/outer\nsource_profile = inner\nrole_session_name = outer-session\n",
    );
    await resolve("outer");
    expect(prompts).toEqual([`inner ${SERIAL}`]);
    const assumes = sts.calls.filter((c) => c.action === "AssumeRole");
    expect(assumes.map((c) => [c.params.RoleArn, c.params.TokenCode ?? null, c.params.RoleSessionName?.replace(/\d+$/, "N")])).toEqual([
      ["arn:aws:iam::222222222222:role/inner", "123456", "botocore-session-N"],
      ["arn:aws:iam::333333333333:role/outer", null, "outer-session"],
    ]);
    // Each hop cached under the key botocore computes from what that profile configures.
    const keys = [
      roleCacheKey({ RoleArn: "arn:aws:iam::222222222222:role/inner", SerialNumber: SERIAL }),
      roleCacheKey({ RoleArn: "arn:aws:iam::333333333333:role/outer", RoleSessionName: "outer-session" }),
    ];
    expect(readdirSync(join(world.home, ".aws", "cli", "cache")).sort()).toEqual(keys.map((k) => `${k}.json`).sort());
  });

  it("a warm outer hop needs neither the inner hop nor a prompt", async () => {
    world.writeConfig(
      `${BASE}[profile inner]\nrole_arn = arn:aws:iam::222222222222:role/inner\nsource_profile = base\nmfa_serial = ${SERIAL}\n` +
        "[profile outer]\nrole_arn = arn:aws:iam::333333333333:role/outer\nsource_profile = inner\n",
    );
    await resolve("outer");
    const calls = sts.calls.length;
    await resolve("outer");
    expect(sts.calls.length).toBe(calls);
    expect(prompts).toHaveLength(1);
  });

  it("environment credentials: no files read, no network", async () => {
    world.writeConfig("this is not a config file at all\n");
    const env = {
      ...world.env,
      AWS_ACCESS_KEY_ID: "AKIAENV",
      AWS_SECRET_ACCESS_KEY: "env-secret-1234567890",
      AWS_ENDPOINT_URL_STS: "http://127.0.0.1:1",
    };
    await expect(resolve(undefined, env)).resolves.toEqual({ accessKeyId: "AKIAENV", secretAccessKey: "env-secret-1234567890" });
    expect(sts.calls).toEqual([]);
  });

  it("aws_security_token is the session token of static keys (botocore)", async () => {
    world.writeCredentials(
      "[legacy]\naws_access_key_id = ASIALEGACY\naws_secret_access_key = legacy-secret-123456\naws_security_token = legacy-token\n",
    );
    expect(loadSharedConfig(world.env).profiles.has("legacy")).toBe(true);
    await expect(resolve("legacy")).resolves.toEqual({
      accessKeyId: "ASIALEGACY",
      secretAccessKey: "legacy-secret-123456",
      sessionToken: "legacy-token",
    });
  });

  it("credential_source = Environment takes the role's source keys from the environment", async () => {
    world.writeConfig("[profile envrole]\nrole_arn = arn:aws:iam::222222222222:role/env\ncredential_source = Environment\n");
    await resolve("envrole", { ...world.env, AWS_ACCESS_KEY_ID: "AKIAENVSOURCE0000001", AWS_SECRET_ACCESS_KEY: "env-secret-1234567890" });
    expect(sts.calls.map((c) => [c.action, c.accessKeyId])).toEqual([["AssumeRole", "AKIAENVSOURCE0000001"]]);
  });
});
