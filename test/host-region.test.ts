/**
 * The region a request is signed for — the host name's, else, for a `--host` name,
 * --region, the profile's region, AWS_REGION, AWS_DEFAULT_REGION, in that order, an empty value
 * counting as unset — one function for `get` and `doctor`.
 */
import { describe, expect, it } from "vitest";
import { hostRegion } from "../src/host-region.js";

interface Case {
  readonly name: string;
  readonly host: string | undefined;
  readonly region?: string;
  readonly profile?: string;
  readonly env?: Record<string, string>;
  readonly expected: string | undefined;
  /** Whether the profile's region had to be read (it may load the shared files). */
  readonly readsProfile: boolean;
}

const BOTH_ENV = { AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "eu-north-1" };
const CASES: readonly Case[] = [
  {
    name: "the host's region wins over everything",
    host: "us-east-1",
    region: "eu-west-1",
    profile: "ap-south-1",
    env: BOTH_ENV,
    expected: "us-east-1",
    readsProfile: false,
  },
  {
    name: "--region first for a --host name",
    host: undefined,
    region: "eu-west-1",
    profile: "ap-south-1",
    env: BOTH_ENV,
    expected: "eu-west-1",
    readsProfile: false,
  },
  { name: "then the profile's region", host: undefined, profile: "ap-south-1", env: BOTH_ENV, expected: "ap-south-1", readsProfile: true },
  { name: "then AWS_REGION", host: undefined, env: BOTH_ENV, expected: "eu-central-1", readsProfile: true },
  {
    name: "then AWS_DEFAULT_REGION",
    host: undefined,
    env: { AWS_DEFAULT_REGION: "eu-north-1" },
    expected: "eu-north-1",
    readsProfile: true,
  },
  {
    name: "empty values count as unset",
    host: undefined,
    region: "",
    profile: "",
    env: { AWS_REGION: "", AWS_DEFAULT_REGION: "sa-east-1" },
    expected: "sa-east-1",
    readsProfile: true,
  },
  {
    name: "none configured",
    host: undefined,
    region: "",
    profile: "",
    env: { AWS_REGION: "", AWS_DEFAULT_REGION: "" },
    expected: undefined,
    readsProfile: true,
  },
  { name: "nothing at all", host: undefined, env: {}, expected: undefined, readsProfile: true },
];

describe("hostRegion", () => {
  for (const c of CASES) {
    it(`${c.name} → ${String(c.expected)}`, () => {
      let read = false;
      const profileRegion = () => {
        read = true;
        return c.profile;
      };
      expect(hostRegion({ region: c.host }, { region: c.region, profileRegion, env: c.env ?? {} })).toBe(c.expected);
      expect(read).toBe(c.readsProfile);
    });
  }
});
