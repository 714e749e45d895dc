/**
 * Where a `codecommit://` remote lives: the region and the CodeCommit git host. The
 * Python tool builds `git-codecommit.<region>.<domain>` unless `CODE_COMMIT_ENDPOINT` names a host;
 * this adds FIPS hosts, chosen as botocore chooses them (`AWS_USE_FIPS_ENDPOINT`, else the
 * profile's `use_fips_endpoint`), and accepts any well-formed region instead of a stale list.
 */
import { codeCommitHost, partitionOf, useFipsEndpoint } from "../aws-config/endpoint.js";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import { REGION_NAME, type RemoteUrl } from "./remote-url.js";

/** The https endpoint a remote URL stands for. */
export interface RemoteEndpoint {
  readonly region: string;
  /** `host` or `host:port`, as it goes into the https URL. */
  readonly host: string;
  /** True when the host came from CODE_COMMIT_ENDPOINT (it may name no region of its own). */
  readonly overridden: boolean;
}

/** `host[:port]`: all an override may be, since it is pasted into a URL. */
const HOST_AND_PORT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

/**
 * Decides region and host. `profileName` is the profile in effect (the URL's, else the one
 * src/aws-config/profile-name.ts selects from the environment); `settings` are its keys from the shared files, if it has any.
 */
export function remoteEndpoint(
  url: RemoteUrl,
  profileName: string,
  settings: Readonly<Record<string, string>> | undefined,
  env: Env,
): RemoteEndpoint {
  const region = remoteRegion(url, profileName, settings, env);
  const override = env[ENV.codeCommitEndpoint];
  if (override !== undefined && override !== "") {
    if (!HOST_AND_PORT.test(override)) {
      throw new HelperError(
        "usage",
        `${ENV.codeCommitEndpoint} is "${override}", which is not a host name`,
        `Set it to a host such as vpce-0123-abcd.git-codecommit.${region}.vpce.amazonaws.com, or unset it`,
      );
    }
    return { region, host: override, overridden: true };
  }
  const fips = useFipsEndpoint({ env, profile: settings });
  // AWS runs no FIPS CodeCommit endpoint in the China partition; there is no host to go to.
  if (fips && partitionOf(region).name === "aws-cn") {
    throw new HelperError(
      "usage",
      `there is no FIPS CodeCommit endpoint in ${region}`,
      `Unset ${ENV.useFipsEndpoint} (or use_fips_endpoint in profile ${profileName}) for this remote`,
    );
  }
  return { region, host: codeCommitHost(region, fips), overridden: false };
}

/** The URL's region, else the profile's, else AWS_REGION, else AWS_DEFAULT_REGION (the order src/host-region.ts follows for a host name without one). */
function remoteRegion(url: RemoteUrl, profileName: string, settings: Readonly<Record<string, string>> | undefined, env: Env): string {
  if (url.region !== undefined) return url.region;
  const candidates: Array<[string | undefined, string]> = [
    [settings?.region, `the region of profile ${profileName}`],
    [env[ENV.region], ENV.region],
    [env[ENV.defaultRegion], ENV.defaultRegion],
  ];
  for (const [value, source] of candidates) {
    if (value === undefined || value === "") continue;
    if (!REGION_NAME.test(value))
      throw new HelperError(
        "no-region",
        `${source} is "${value}", which is not an AWS region name`,
        "Correct it, or name the region in the URL: codecommit::REGION://...",
      );
    return value;
  }
  throw new HelperError(
    "no-region",
    `no AWS region for this remote: the URL names none, profile ${profileName} has no region, and ${ENV.region}/${ENV.defaultRegion} are unset`,
    `Use codecommit::REGION://... or run "aws configure set region REGION --profile ${profileName}"`,
  );
}
