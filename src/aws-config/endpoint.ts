/**
 * Where each AWS service we call lives, decided as botocore 1.43 decides it, in one place:
 *
 * 1. A configured endpoint, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (else the profile's
 *    `ignore_configured_endpoint_urls`) is true (botocore `args._compute_configured_endpoint_url`),
 *    in `configprovider.ConfiguredEndpointProvider`'s order: `AWS_ENDPOINT_URL_<SERVICE>`,
 *    `AWS_ENDPOINT_URL`, the profile's `services` section (`[services NAME]` with a nested
 *    `<service> =\n endpoint_url = …`), the profile's `endpoint_url`. An empty value counts as unset.
 * 2. Otherwise the service's endpoint rule set (botocore/data/<service>/…/endpoint-rule-set-1.json)
 *    over the partition of the region (botocore/data/partitions.json): FIPS and dual-stack forms
 *    from `AWS_USE_FIPS_ENDPOINT`/`use_fips_endpoint` and `AWS_USE_DUALSTACK_ENDPOINT`/
 *    `use_dualstack_endpoint`, and for STS the legacy global endpoint when `sts_regional_endpoints`
 *    (or `AWS_STS_REGIONAL_ENDPOINTS`) is `legacy`.
 *
 * The CodeCommit git host is no botocore service, but it takes its DNS suffix from the same table.
 * Pure: the environment and the profile's settings are passed in. test/endpoint-differential.test.ts
 * compares this with botocore's clients on generated cases.
 */
import { HelperError } from "../errors.js";
import { ENV, type Env } from "../env.js";
import { parseNested, setting, type Settings } from "./ini.js";

/** The services this program calls: STS, the SSO portal, IAM Identity Center OIDC and AWS sign-in. */
export type EndpointService = "sts" | "sso" | "sso-oidc" | "signin";

/** What decides an endpoint besides the service and region. */
export interface EndpointConfig {
  readonly env: Env;
  /** The settings of the profile the run selected (botocore's scoped config), if any. */
  readonly profile?: Settings | undefined;
  /** The config file's `[services NAME]` sections, by name. */
  readonly services?: ReadonlyMap<string, Settings> | undefined;
}

/** A resolved endpoint: the URL requests go to and the region they are signed for. */
export interface ResolvedEndpoint {
  readonly url: string;
  readonly signingRegion: string;
  /** True when the URL was configured (environment or files) rather than derived from the region. */
  readonly configured: boolean;
}

/** An AWS partition: the regions it holds and its DNS suffixes (botocore/data/partitions.json). */
export interface Partition {
  readonly name: string;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
}

interface PartitionEntry extends Partition {
  readonly regionRegex: RegExp;
  /** Region names the pattern misses (the partition's global pseudo-region). */
  readonly extraRegions: readonly string[];
  /**
   * False where botocore's older resolver (botocore/data/endpoints.json, still consulted when a
   * client is made) knows no dual-stack host: botocore then refuses to make the client at all.
   */
  readonly dualStackKnown?: false;
}

/** partitions.json in its order; a region no partition claims falls in the first, `aws`. */
const PARTITIONS: readonly PartitionEntry[] = [
  {
    name: "aws",
    regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    extraRegions: ["aws-global"],
    dnsSuffix: "amazonaws.com",
    dualStackDnsSuffix: "api.aws",
  },
  {
    name: "aws-cn",
    regionRegex: /^cn-\w+-\d+$/,
    extraRegions: ["aws-cn-global"],
    dnsSuffix: "amazonaws.com.cn",
    dualStackDnsSuffix: "api.amazonwebservices.com.cn",
  },
  {
    name: "aws-eusc",
    regionRegex: /^eusc-(de)-\w+-\d+$/,
    extraRegions: [],
    dnsSuffix: "amazonaws.eu",
    dualStackDnsSuffix: "api.amazonwebservices.eu",
  },
  {
    name: "aws-iso",
    regionRegex: /^us-iso-\w+-\d+$/,
    extraRegions: ["aws-iso-global"],
    dnsSuffix: "c2s.ic.gov",
    dualStackDnsSuffix: "api.aws.ic.gov",
  },
  {
    name: "aws-iso-b",
    regionRegex: /^us-isob-\w+-\d+$/,
    extraRegions: ["aws-iso-b-global"],
    dnsSuffix: "sc2s.sgov.gov",
    dualStackDnsSuffix: "api.aws.scloud",
  },
  {
    name: "aws-iso-e",
    regionRegex: /^eu-isoe-\w+-\d+$/,
    extraRegions: ["aws-iso-e-global"],
    dualStackKnown: false,
    dnsSuffix: "cloud.adc-e.uk",
    dualStackDnsSuffix: "api.cloud-aws.adc-e.uk",
  },
  {
    name: "aws-iso-f",
    regionRegex: /^us-isof-\w+-\d+$/,
    extraRegions: ["aws-iso-f-global"],
    dualStackKnown: false,
    dnsSuffix: "csp.hci.ic.gov",
    dualStackDnsSuffix: "api.aws.hci.ic.gov",
  },
  {
    name: "aws-us-gov",
    regionRegex: /^us-gov-\w+-\d+$/,
    extraRegions: ["aws-us-gov-global"],
    dnsSuffix: "amazonaws.com",
    dualStackDnsSuffix: "api.aws",
  },
];

/** The partition a region belongs to (botocore's `aws.partition` rule function). */
export function partitionOf(region: string): Partition {
  const entry = partitionEntry(region);
  return { name: entry.name, dnsSuffix: entry.dnsSuffix, dualStackDnsSuffix: entry.dualStackDnsSuffix };
}

function partitionEntry(region: string): PartitionEntry {
  return PARTITIONS.find((p) => p.extraRegions.includes(region) || p.regionRegex.test(region)) ?? (PARTITIONS[0] as PartitionEntry);
}

/** Per service: the variable and services-section key of its configured endpoint, and its host names. */
const SERVICES: Readonly<
  Record<EndpointService, { readonly envName: string; readonly sectionKey: string; readonly host: string; readonly fipsHost: string }>
> = {
  sts: { envName: ENV.stsEndpoint, sectionKey: "sts", host: "sts", fipsHost: "sts-fips" },
  sso: { envName: ENV.ssoEndpoint, sectionKey: "sso", host: "portal.sso", fipsHost: "portal.sso-fips" },
  "sso-oidc": { envName: ENV.ssoOidcEndpoint, sectionKey: "sso_oidc", host: "oidc", fipsHost: "oidc-fips" },
  signin: { envName: ENV.signinEndpoint, sectionKey: "signin", host: "signin", fipsHost: "signin-fips" },
};

/** Where STS answered for every region before regional endpoints (botocore args.LEGACY_GLOBAL_STS_REGIONS). */
const LEGACY_GLOBAL_STS_REGIONS: readonly string[] = [
  "ap-northeast-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "aws-global",
  "ca-central-1",
  "eu-central-1",
  "eu-north-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
];

const GLOBAL_STS = "https://sts.amazonaws.com";

/** The endpoint botocore's client for `service` in `region` would call. */
export function resolveEndpoint(service: EndpointService, region: string, config: EndpointConfig): ResolvedEndpoint {
  // botocore checks this setting for every client it creates, whatever the service.
  const stsMode = stsRegionalEndpoints(config);
  const fips = flag(config, ENV.useFipsEndpoint, "use_fips_endpoint");
  const dualStack = flag(config, ENV.useDualstackEndpoint, "use_dualstack_endpoint");
  if (dualStack && partitionEntry(region).dualStackKnown === false) {
    throw new HelperError(
      "profile-config",
      `dual-stack endpoints are asked for (${ENV.useDualstackEndpoint} or use_dualstack_endpoint), and there is none in ${region}`,
      `Unset ${ENV.useDualstackEndpoint} and use_dualstack_endpoint for this region`,
    );
  }
  const configured = configuredEndpointUrl(service, config);
  if (configured !== undefined) return { url: configured, signingRegion: region, configured: true };
  return derivedEndpoint(service, region, stsMode, fips, dualStack);
}

/** The endpoint the region implies when none is configured (what a configured one replaces). */
export function regionalEndpoint(service: EndpointService, region: string, config: EndpointConfig): ResolvedEndpoint {
  const fips = flag(config, ENV.useFipsEndpoint, "use_fips_endpoint");
  const dualStack = flag(config, ENV.useDualstackEndpoint, "use_dualstack_endpoint");
  return derivedEndpoint(service, region, stsRegionalEndpoints(config), fips, dualStack);
}

function derivedEndpoint(
  service: EndpointService,
  region: string,
  stsMode: "legacy" | "regional",
  fips: boolean,
  dualStack: boolean,
): ResolvedEndpoint {
  if (
    service === "sts" &&
    !fips &&
    !dualStack &&
    (region === "aws-global" || (stsMode === "legacy" && LEGACY_GLOBAL_STS_REGIONS.includes(region)))
  ) {
    return { url: GLOBAL_STS, signingRegion: "us-east-1", configured: false };
  }
  return { url: `https://${regionalHost(service, region, fips, dualStack)}`, signingRegion: region, configured: false };
}

/**
 * The configured endpoint URL for `service`, or undefined when none is configured or configured
 * endpoints are ignored. Throws when the profile names a services section the config lacks.
 */
export function configuredEndpointUrl(service: EndpointService, config: EndpointConfig): string | undefined {
  if (flag(config, ENV.ignoreConfiguredEndpoints, "ignore_configured_endpoint_urls")) return undefined;
  const { envName, sectionKey } = SERVICES[service];
  const fromEnv = config.env[envName] || config.env[ENV.endpoint];
  if (fromEnv) return fromEnv;
  const sectionName = setting(config.profile, "services");
  if (sectionName !== undefined) {
    const section = config.services?.get(sectionName);
    // botocore treats an empty section like a missing one.
    if (section === undefined || Object.keys(section).length === 0) {
      throw new HelperError(
        "profile-config",
        `the profile is configured to use the services section "${sectionName}", which does not exist`,
        `Add [services ${sectionName}] to the config file, or remove "services" from the profile`,
      );
    }
    const nested = setting(section, sectionKey);
    const fromSection = nested === undefined ? undefined : parseNested(nested)?.endpoint_url;
    if (fromSection) return fromSection;
  }
  return setting(config.profile, "endpoint_url") || undefined;
}

/** The CodeCommit git host of a region: `git-codecommit[-fips].<region>.<partition's DNS suffix>`. */
export function codeCommitHost(region: string, fips: boolean): string {
  return `git-codecommit${fips ? "-fips" : ""}.${region}.${partitionOf(region).dnsSuffix}`;
}

/** Whether FIPS endpoints are asked for (the environment decides when set, else the profile). */
export function useFipsEndpoint(config: EndpointConfig): boolean {
  return flag(config, ENV.useFipsEndpoint, "use_fips_endpoint");
}

/** The host of a service's regional endpoint: its rule set's branches for FIPS and dual-stack. */
function regionalHost(service: EndpointService, region: string, fips: boolean, dualStack: boolean): string {
  const partition = partitionOf(region);
  const { host, fipsHost } = SERVICES[service];
  if (fips && dualStack) return `${fipsHost}.${region}.${partition.dualStackDnsSuffix}`;
  if (fips) {
    // GovCloud's regular STS, portal and OIDC endpoints are already FIPS endpoints.
    if (partition.name === "aws-us-gov" && service !== "signin") return `${host}.${region}.amazonaws.com`;
    return `${fipsHost}.${region}.${partition.dnsSuffix}`;
  }
  if (dualStack) return `${host}.${region}.${partition.dualStackDnsSuffix}`;
  if (service === "signin") {
    // Sign-in keeps its console host names in the three public partitions.
    if (partition.name === "aws") return `${region}.signin.aws.amazon.com`;
    if (partition.name === "aws-cn") return `${region}.signin.amazonaws.cn`;
    if (partition.name === "aws-us-gov") return `${region}.signin.amazonaws-us-gov.com`;
  }
  return `${host}.${region}.${partition.dnsSuffix}`;
}

/**
 * `sts_regional_endpoints`: the environment when set (even empty), else the profile; empty means
 * `regional`, anything but `legacy`/`regional` is refused (botocore's InvalidSTSRegionalEndpointsConfigError).
 */
function stsRegionalEndpoints(config: EndpointConfig): "legacy" | "regional" {
  const value = config.env[ENV.stsRegionalEndpoints] ?? setting(config.profile, "sts_regional_endpoints");
  if (!value) return "regional";
  if (value === "legacy" || value === "regional") return value;
  throw new HelperError(
    "profile-config",
    `sts_regional_endpoints is "${value}", which is not one of legacy, regional`,
    "Set AWS_STS_REGIONAL_ENDPOINTS or sts_regional_endpoints to regional (or legacy), or unset it",
  );
}

/** botocore's boolean settings: the environment decides when set (even empty), else the profile; only "true" (any case) is on. */
function flag(config: EndpointConfig, envName: string, key: string): boolean {
  const value = config.env[envName] ?? setting(config.profile, key);
  return value !== undefined && value.toLowerCase() === "true";
}
