/**
 * src/aws-config/endpoint.ts on hand-picked vectors (test/endpoint-differential.test.ts checks
 * generated ones against botocore): one row per rule, exact URLs.
 */
import { describe, expect, it } from "vitest";
import { codeCommitHost, type EndpointConfig, type EndpointService, partitionOf, resolveEndpoint } from "../src/aws-config/endpoint.js";

const settings = (values: Record<string, string>) => Object.assign(Object.create(null) as Record<string, string>, values);

const ROWS: ReadonlyArray<[string, EndpointService, string, EndpointConfig, string, string]> = [
  ["regional by default", "sts", "eu-west-1", { env: {} }, "https://sts.eu-west-1.amazonaws.com", "eu-west-1"],
  ["China's suffix", "sts", "cn-north-1", { env: {} }, "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"],
  [
    "legacy: the global endpoint, signed for us-east-1",
    "sts",
    "eu-west-1",
    { env: { AWS_STS_REGIONAL_ENDPOINTS: "legacy" } },
    "https://sts.amazonaws.com",
    "us-east-1",
  ],
  [
    "legacy only for the older regions",
    "sts",
    "ap-southeast-3",
    { env: {}, profile: settings({ sts_regional_endpoints: "legacy" }) },
    "https://sts.ap-southeast-3.amazonaws.com",
    "ap-southeast-3",
  ],
  [
    "the service variable first",
    "sts",
    "eu-west-1",
    { env: { AWS_ENDPOINT_URL_STS: "http://127.0.0.1:1", AWS_ENDPOINT_URL: "http://127.0.0.1:2" } },
    "http://127.0.0.1:1",
    "eu-west-1",
  ],
  [
    "another service's variable does not count",
    "sts",
    "eu-west-1",
    { env: { AWS_ENDPOINT_URL_SSO: "http://127.0.0.1:1" } },
    "https://sts.eu-west-1.amazonaws.com",
    "eu-west-1",
  ],
  [
    "the services section before the profile's endpoint_url",
    "sso-oidc",
    "eu-west-1",
    {
      env: {},
      profile: settings({ services: "s", endpoint_url: "http://127.0.0.1:2" }),
      services: new Map([["s", settings({ sso_oidc: "\nendpoint_url = http://127.0.0.1:3" })]]),
    },
    "http://127.0.0.1:3",
    "eu-west-1",
  ],
  [
    "ignored when the variable says so",
    "sts",
    "eu-west-1",
    { env: { AWS_ENDPOINT_URL_STS: "http://127.0.0.1:1", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "TRUE" } },
    "https://sts.eu-west-1.amazonaws.com",
    "eu-west-1",
  ],
  [
    "ignored when the profile says so",
    "sts",
    "eu-west-1",
    { env: { AWS_ENDPOINT_URL: "http://127.0.0.1:1" }, profile: settings({ ignore_configured_endpoint_urls: "true" }) },
    "https://sts.eu-west-1.amazonaws.com",
    "eu-west-1",
  ],
  [
    "the variable, even false, over the profile",
    "sts",
    "eu-west-1",
    {
      env: { AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "false" },
      profile: settings({ ignore_configured_endpoint_urls: "true" }),
    },
    "http://127.0.0.1:1",
    "eu-west-1",
  ],
  ["FIPS", "sts", "us-east-2", { env: { AWS_USE_FIPS_ENDPOINT: "true" } }, "https://sts-fips.us-east-2.amazonaws.com", "us-east-2"],
  [
    "GovCloud's regular hosts are FIPS",
    "sso",
    "us-gov-west-1",
    { env: { AWS_USE_FIPS_ENDPOINT: "true" } },
    "https://portal.sso.us-gov-west-1.amazonaws.com",
    "us-gov-west-1",
  ],
  [
    "dual-stack",
    "sso-oidc",
    "cn-northwest-1",
    { env: {}, profile: settings({ use_dualstack_endpoint: "true" }) },
    "https://oidc.cn-northwest-1.api.amazonwebservices.com.cn",
    "cn-northwest-1",
  ],
  [
    "FIPS and dual-stack",
    "sts",
    "us-west-2",
    { env: { AWS_USE_FIPS_ENDPOINT: "true", AWS_USE_DUALSTACK_ENDPOINT: "true" } },
    "https://sts-fips.us-west-2.api.aws",
    "us-west-2",
  ],
  ["sign-in's console host", "signin", "eu-central-1", { env: {} }, "https://eu-central-1.signin.aws.amazon.com", "eu-central-1"],
];

describe("resolveEndpoint", () => {
  it.each(ROWS)("%s", (_, service, region, config, url, signingRegion) => {
    expect(resolveEndpoint(service, region, config)).toMatchObject({ url, signingRegion });
  });

  it("refuses a services section that does not exist, as botocore does", () => {
    expect(() => resolveEndpoint("sts", "eu-west-1", { env: {}, profile: settings({ services: "gone" }), services: new Map() })).toThrow(
      'the profile is configured to use the services section "gone", which does not exist',
    );
  });

  it("refuses an sts_regional_endpoints it does not know", () => {
    expect(() => resolveEndpoint("sso", "eu-west-1", { env: { AWS_STS_REGIONAL_ENDPOINTS: "global" } })).toThrow(
      'sts_regional_endpoints is "global", which is not one of legacy, regional',
    );
  });
});

describe("the CodeCommit git host", () => {
  it.each([
    ["eu-west-1", false, "git-codecommit.eu-west-1.amazonaws.com"],
    ["cn-north-1", false, "git-codecommit.cn-north-1.amazonaws.com.cn"],
    ["us-gov-west-1", true, "git-codecommit-fips.us-gov-west-1.amazonaws.com"],
    ["us-east-1", true, "git-codecommit-fips.us-east-1.amazonaws.com"],
  ] as const)("%s (FIPS %s): %s", (region, fips, host) => {
    expect(codeCommitHost(region, fips)).toBe(host);
  });

  it("an unknown region falls in the aws partition", () => {
    expect(partitionOf("xx-nowhere-7").name).toBe("aws");
  });
});
