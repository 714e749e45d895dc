/**
 * Differential test of src/aws-config/endpoint.ts: on generated combinations of endpoint
 * variables, profile settings, `[services]` sections, regions of every partition, FIPS and
 * dual-stack, the STS regional setting and the ignore flag, our resolver and botocore 1.43's
 * clients (test/support/botocore-endpoint.py, one python run, no network) name exactly the same
 * URL and signing region, or both refuse.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EndpointService, resolveEndpoint } from "../src/aws-config/endpoint.js";
import { loadSharedConfig } from "../src/aws-config/shared-config.js";
import { HelperError } from "../src/errors.js";
import { prng } from "./support/prng.js";

const GENERATED = 600;
const SEED = 0x3e_9d01;

const SERVICES: readonly EndpointService[] = ["sts", "sso", "sso-oidc", "signin"];
const SERVICE_ENV: Readonly<Record<EndpointService, string>> = { sts: "STS", sso: "SSO", "sso-oidc": "SSO_OIDC", signin: "SIGNIN" };
const SECTION_KEY: Readonly<Record<EndpointService, string>> = { sts: "sts", sso: "sso", "sso-oidc": "sso_oidc", signin: "signin" };
const REGIONS = [
  "us-east-1",
  "eu-west-1",
  "ap-southeast-2",
  "us-west-2",
  "ap-southeast-3",
  "eu-south-2",
  "mx-central-1",
  "il-central-1",
  "aws-global",
  "cn-north-1",
  "cn-northwest-1",
  "us-gov-west-1",
  "us-gov-east-1",
  "us-iso-east-1",
  "us-isob-east-1",
  "eu-isoe-west-1",
  "us-isof-south-1",
  "eusc-de-east-1",
  "xx-nowhere-7",
];
const BOOLEANS = ["true", "TRUE", "True", "false", "", "yes"];
const STS_MODES = ["legacy", "regional", "", "legacy", "regional", "Legacy"];

interface Case {
  readonly id: string;
  readonly service: EndpointService;
  readonly region: string;
  readonly env: Record<string, string>;
  readonly configText: string;
}

function generate(count: number, seed: number, root: string): Case[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const maybe = (p: number): boolean => random() < p;
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const service = pick(SERVICES);
    const env: Record<string, string> = { AWS_CONFIG_FILE: join(root, `config-${i}`), AWS_SHARED_CREDENTIALS_FILE: join(root, "none") };
    if (maybe(0.2))
      env[`AWS_ENDPOINT_URL_${SERVICE_ENV[maybe(0.7) ? service : pick(SERVICES)]}`] = maybe(0.1)
        ? ""
        : `http://127.0.0.1:${1000 + i}/env-service`;
    if (maybe(0.2)) env.AWS_ENDPOINT_URL = maybe(0.1) ? "" : "https://global.example.test";
    if (maybe(0.25)) env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = pick(BOOLEANS);
    if (maybe(0.3)) env.AWS_USE_FIPS_ENDPOINT = pick(BOOLEANS);
    if (maybe(0.3)) env.AWS_USE_DUALSTACK_ENDPOINT = pick(BOOLEANS);
    if (maybe(0.3)) env.AWS_STS_REGIONAL_ENDPOINTS = maybe(0.05) ? "global" : pick(STS_MODES);
    const profile: string[] = [];
    if (maybe(0.2)) profile.push(`endpoint_url = ${maybe(0.1) ? "" : "https://profile.example.test:8443"}`);
    if (maybe(0.25)) profile.push(`ignore_configured_endpoint_urls = ${pick(BOOLEANS)}`);
    if (maybe(0.3)) profile.push(`use_fips_endpoint = ${pick(BOOLEANS)}`);
    if (maybe(0.3)) profile.push(`use_dualstack_endpoint = ${pick(BOOLEANS)}`);
    if (maybe(0.4)) profile.push(`sts_regional_endpoints = ${maybe(0.03) ? "nope" : pick(STS_MODES)}`);
    let sections = "";
    if (maybe(0.3)) {
      const missing = maybe(0.05);
      profile.push(`services = ${missing ? "absent" : "mine"}`);
      const entries = SERVICES.filter(() => maybe(0.5)).map(
        (s) => `${SECTION_KEY[s]} =\n  endpoint_url = http://127.0.0.1:${2000 + i}/${s}-section\n`,
      );
      sections = `[services mine]\n${entries.join("") || "other = x\n"}`;
    }
    const configText = `[default]\n${profile.map((line) => `${line}\n`).join("")}${sections}`;
    cases.push({ id: `generated-${i}`, service, region: pick(REGIONS), env, configText });
  }
  return cases;
}

interface Outcome {
  readonly url?: string;
  readonly signingRegion?: string;
  readonly error?: string;
}

let root = "";
let cases: Case[] = [];
const oracle = new Map<string, Outcome>();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "gcc-endpoint-"));
  cases = generate(GENERATED, SEED, root);
  for (const c of cases) writeFileSync(c.env.AWS_CONFIG_FILE as string, c.configText);
  const run = spawnSync("python3", [join(__dirname, "support", "botocore-endpoint.py")], {
    input: JSON.stringify({ cases: cases.map(({ id, env, service, region }) => ({ id, env: { ...env, HOME: root }, service, region })) }),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PYTHONUTF8: "1", HOME: root },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  if (run.status !== 0) throw new Error(`botocore driver failed (${run.status ?? run.signal}): ${run.stderr}`);
  for (const result of (JSON.parse(run.stdout) as { results: Array<Outcome & { id: string }> }).results) {
    const { id, ...outcome } = result;
    oracle.set(id, outcome);
  }
}, 330_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Which botocore refusal each of ours stands for. */
const ERROR_FOR: Readonly<Record<string, string>> = {
  InvalidSTSRegionalEndpointsConfigError: "profile-config",
  InvalidConfigError: "profile-config",
  EndpointVariantError: "profile-config",
};

function ours(c: Case): Outcome {
  try {
    const config = loadSharedConfig(c.env);
    const resolved = resolveEndpoint(c.service, c.region, {
      env: c.env,
      profile: config.profiles.get("default"),
      services: config.services,
    });
    return { url: resolved.url, signingRegion: resolved.signingRegion };
  } catch (err) {
    if (err instanceof HelperError) return { error: err.kind };
    throw err;
  }
}

describe("endpoints agree with botocore", () => {
  it("on every generated case", () => {
    const disagreements: string[] = [];
    for (const c of cases) {
      const theirs = oracle.get(c.id);
      const mine = ours(c);
      const expected = theirs?.error !== undefined ? { error: ERROR_FOR[theirs.error] ?? theirs.error } : theirs;
      if (JSON.stringify(mine) !== JSON.stringify(expected)) {
        disagreements.push(
          `${c.id} ${c.service} ${c.region} ${JSON.stringify(c.env)}\n${c.configText}  ours ${JSON.stringify(mine)}\n  botocore ${JSON.stringify(theirs)}`,
        );
      }
    }
    expect(disagreements.slice(0, 5).join("\n\n")).toBe("");
  });

  it("covers each kind of answer", () => {
    const urls = [...oracle.values()].map((o) => o.url ?? o.error ?? "");
    for (const wanted of [
      "https://sts.amazonaws.com",
      "-fips.",
      ".api.aws",
      "amazonaws.com.cn",
      "-section",
      "/env-service",
      "global.example.test",
      "profile.example.test",
      "signin.aws.amazon.com",
      "c2s.ic.gov",
      "InvalidConfigError",
      "InvalidSTSRegionalEndpointsConfigError",
      "EndpointVariantError",
    ]) {
      expect(
        urls.some((u) => u.includes(wanted)),
        wanted,
      ).toBe(true);
    }
  });
});
