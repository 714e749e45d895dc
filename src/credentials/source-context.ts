/**
 * What every source under sources/ receives from the run when it must fetch: the network settings
 * and budget, the clock, the shared cache, and the few facts of the run its messages name.
 */
import type { EndpointConfig } from "../aws-config/endpoint.js";
import type { NetworkContext } from "../aws-client/aws-client-config.js";
import type { Peer } from "../aws-client/explain-error.js";
import type { SessionCache } from "../session-cache/cached-session.js";

/** Everything executing a source needs from the run. */
export interface SourceContext extends NetworkContext {
  readonly now: () => Date;
  readonly cache: SessionCache;
  /** The selected profile (named in messages). */
  readonly profile: string;
  /** The CodeCommit host's region: STS goes there unless the profile names one. */
  readonly hostRegion: string;
  /**
   * What decides each endpoint: the selected profile's settings for every hop, as botocore's
   * clients all read the session's profile, not the source profile's.
   */
  readonly endpoints: EndpointConfig;
  /** The shared files, named in the "no credentials" message. */
  readonly files: readonly string[];
  /** Asks the user for an MFA code (the budget is already paused around it). */
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
  /** How long a credential_process may run (it may wait on a person, as aws-vault's prompts do). */
  readonly processTimeoutMs: number;
}

/** The peer a failed call is explained against, with this run's network and budget. */
export function peer(ctx: SourceContext, name: Peer["name"], profile: string, region: string): Peer {
  return { name, profile, region, network: ctx.network, budgetMs: ctx.deadline.totalMs };
}
