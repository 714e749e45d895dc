/**
 * The AWS region a request is signed for: the one in a CodeCommit host name, or, for
 * a `--host` name, which names none, the first configured of `--region`, the profile's `region`,
 * `AWS_REGION` and `AWS_DEFAULT_REGION`. An empty value counts as unset, so the next one applies.
 * `get` and `doctor` both ask here, so doctor reports the region `get` signs for.
 */
import type { Env } from "./env.js";
import { ENV } from "./env.js";
import type { CodeCommitHost } from "./host.js";

/** Where the region is looked for besides the host name; `profileRegion` is called only when needed (it may read the files). */
export interface RegionSources {
  /** `--region` on the helper line. */
  readonly region: string | undefined;
  /** The `region` setting of the profile in effect. */
  readonly profileRegion: () => string | undefined;
  readonly env: Env;
}

/** The region for `host`; undefined when it names none and none is configured. */
export function hostRegion(host: Pick<CodeCommitHost, "region">, sources: RegionSources): string | undefined {
  return (
    regionBeforeProfile(host, sources.region) ||
    sources.profileRegion() ||
    sources.env[ENV.region] ||
    sources.env[ENV.defaultRegion] ||
    undefined
  );
}

/**
 * The region found before the profile's settings are asked for: the host name's, else `--region`.
 * Undefined means {@link hostRegion} will call `profileRegion`, so a caller that must read the
 * files for it first (they may not be loaded yet) knows when.
 */
export function regionBeforeProfile(host: Pick<CodeCommitHost, "region">, region: string | undefined): string | undefined {
  return host.region || region || undefined;
}
