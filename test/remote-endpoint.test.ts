/**
 * The git-remote-codecommit mode: the region (URL, else profile, else AWS_REGION, else AWS_DEFAULT_REGION) and the
 * CodeCommit host a remote URL stands for: the standard name, `.amazonaws.com.cn` in China, the
 * FIPS name when botocore's use_fips_endpoint is on, CODE_COMMIT_ENDPOINT over all of them.
 */
import { describe, expect, it } from "vitest";
import type { Env } from "../src/env.js";
import { HelperError } from "../src/errors.js";
import { remoteEndpoint, type RemoteEndpoint } from "../src/remote/endpoint.js";
import { parseRemoteUrl } from "../src/remote/remote-url.js";

interface Case {
  readonly name: string;
  readonly url: string;
  readonly settings?: Record<string, string>;
  readonly env?: Env;
  readonly expected: RemoteEndpoint;
}

const cases: readonly Case[] = [
  {
    name: "region from the URL",
    url: "eu-west-1://repo",
    settings: { region: "us-west-2" },
    expected: { region: "eu-west-1", host: "git-codecommit.eu-west-1.amazonaws.com", overridden: false },
  },
  {
    name: "region from the profile",
    url: "codecommit://repo",
    settings: { region: "us-west-2" },
    env: { AWS_REGION: "ap-south-1" },
    expected: { region: "us-west-2", host: "git-codecommit.us-west-2.amazonaws.com", overridden: false },
  },
  {
    name: "AWS_REGION when the profile has none",
    url: "codecommit://repo",
    settings: {},
    env: { AWS_REGION: "ap-south-1", AWS_DEFAULT_REGION: "sa-east-1" },
    expected: { region: "ap-south-1", host: "git-codecommit.ap-south-1.amazonaws.com", overridden: false },
  },
  {
    name: "AWS_DEFAULT_REGION last",
    url: "codecommit://repo",
    env: { AWS_DEFAULT_REGION: "sa-east-1" },
    expected: { region: "sa-east-1", host: "git-codecommit.sa-east-1.amazonaws.com", overridden: false },
  },
  {
    name: "GovCloud",
    url: "us-gov-east-1://repo",
    expected: { region: "us-gov-east-1", host: "git-codecommit.us-gov-east-1.amazonaws.com", overridden: false },
  },
  {
    name: "China: cn-north-1",
    url: "cn-north-1://repo",
    expected: { region: "cn-north-1", host: "git-codecommit.cn-north-1.amazonaws.com.cn", overridden: false },
  },
  {
    name: "China: cn-northwest-1 from the profile",
    url: "codecommit://repo",
    settings: { region: "cn-northwest-1" },
    expected: { region: "cn-northwest-1", host: "git-codecommit.cn-northwest-1.amazonaws.com.cn", overridden: false },
  },
  {
    name: "FIPS from AWS_USE_FIPS_ENDPOINT",
    url: "us-east-1://repo",
    env: { AWS_USE_FIPS_ENDPOINT: "true" },
    expected: { region: "us-east-1", host: "git-codecommit-fips.us-east-1.amazonaws.com", overridden: false },
  },
  {
    name: "FIPS from the profile's use_fips_endpoint",
    url: "us-gov-west-1://repo",
    settings: { use_fips_endpoint: "True" },
    expected: { region: "us-gov-west-1", host: "git-codecommit-fips.us-gov-west-1.amazonaws.com", overridden: false },
  },
  // botocore: a set environment variable decides, whatever the profile says.
  {
    name: "AWS_USE_FIPS_ENDPOINT=false overrides the profile",
    url: "us-east-1://repo",
    settings: { use_fips_endpoint: "true" },
    env: { AWS_USE_FIPS_ENDPOINT: "false" },
    expected: { region: "us-east-1", host: "git-codecommit.us-east-1.amazonaws.com", overridden: false },
  },
  {
    name: "use_fips_endpoint other than true is off",
    url: "us-east-1://repo",
    settings: { use_fips_endpoint: "yes" },
    expected: { region: "us-east-1", host: "git-codecommit.us-east-1.amazonaws.com", overridden: false },
  },
  {
    name: "CODE_COMMIT_ENDPOINT wins over FIPS and the region's host",
    url: "us-east-1://repo",
    env: { AWS_USE_FIPS_ENDPOINT: "true", CODE_COMMIT_ENDPOINT: "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com" },
    expected: { region: "us-east-1", host: "vpce-0123abcd-4567efgh.git-codecommit.us-east-1.vpce.amazonaws.com", overridden: true },
  },
  // The Python tool's own override test uses a host that names no region at all.
  {
    name: "CODE_COMMIT_ENDPOINT with any host and a port",
    url: "us-west-2://repo",
    env: { CODE_COMMIT_ENDPOINT: "land.called.honahlee:8443" },
    expected: { region: "us-west-2", host: "land.called.honahlee:8443", overridden: true },
  },
  {
    name: "an empty CODE_COMMIT_ENDPOINT counts as unset",
    url: "us-west-2://repo",
    env: { CODE_COMMIT_ENDPOINT: "" },
    expected: { region: "us-west-2", host: "git-codecommit.us-west-2.amazonaws.com", overridden: false },
  },
];

describe("remoteEndpoint", () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(remoteEndpoint(parseRemoteUrl(c.url), "dev", c.settings, c.env ?? {})).toEqual(c.expected);
    });
  }
});

describe("remoteEndpoint: one-line errors", () => {
  const failures: ReadonlyArray<readonly [string, string, Record<string, string> | undefined, Env, string]> = [
    [
      "no region anywhere",
      "codecommit://repo",
      { aws_access_key_id: "AKIAEXAMPLE" },
      {},
      'git-credential-codecommit: no AWS region for this remote: the URL names none, profile dev has no region, and AWS_REGION/AWS_DEFAULT_REGION are unset. Use codecommit::REGION://... or run "aws configure set region REGION --profile dev"',
    ],
    [
      "a profile region that is no region name",
      "codecommit://repo",
      { region: "Frankfurt" },
      {},
      'git-credential-codecommit: the region of profile dev is "Frankfurt", which is not an AWS region name. Correct it, or name the region in the URL: codecommit::REGION://...',
    ],
    [
      "FIPS in China",
      "cn-north-1://repo",
      undefined,
      { AWS_USE_FIPS_ENDPOINT: "true" },
      "git-credential-codecommit: there is no FIPS CodeCommit endpoint in cn-north-1. Unset AWS_USE_FIPS_ENDPOINT (or use_fips_endpoint in profile dev) for this remote",
    ],
    [
      "an override that is no host name",
      "us-east-1://repo",
      undefined,
      { CODE_COMMIT_ENDPOINT: "https://evil.example/x?" },
      'git-credential-codecommit: CODE_COMMIT_ENDPOINT is "https://evil.example/x?", which is not a host name. Set it to a host such as vpce-0123-abcd.git-codecommit.us-east-1.vpce.amazonaws.com, or unset it',
    ],
  ];
  for (const [name, url, settings, env, line] of failures) {
    it(name, () => {
      let thrown: unknown;
      try {
        remoteEndpoint(parseRemoteUrl(url), "dev", settings, env);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(HelperError);
      expect((thrown as HelperError).userLine()).toBe(line);
    });
  }
});
