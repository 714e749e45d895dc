/**
 * doctor's checks of the AWS side (README, "Troubleshooting"): the region, credentials that resolve exactly as
 * `get` resolves them, whose they are (STS GetCallerIdentity), and the clock against the STS
 * response's Date header (SigV4, and so CodeCommit, refuses a signature more than 5 minutes off).
 * No secret is printed: only the account and the ARN.
 */
import type { CanonicalSource, CredentialSource, SsoSource } from "../aws-config/credential-source.js";
import { thisUser } from "../session-cache/own-file.js";
import { cliCacheDir } from "../session-cache/key.js";
import { clientContext, stsTarget } from "../aws-client/aws-client-config.js";
import { Deadline } from "../aws-client/deadline.js";
import { identityCheckFailure } from "../aws-client/explain-error.js";
import { DOCTOR_STS_BUDGET_MS } from "../aws-client/limits.js";
import { callerIdentity } from "../aws-client/sts.js";
import { setting } from "../aws-config/ini.js";
import type { Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { CodeCommitHost } from "../host.js";
import { hostRegion } from "../host-region.js";
import type { SigningCredentials } from "../password.js";
import { shellQuote } from "../git/helper-line.js";
import type { Tracer } from "../trace.js";
import { sessionCacheCheck } from "./cache-check.js";
import { fail, ok, warn, type Check } from "./check.js";
import { ssoTokenCheck } from "./sso-check.js";

/** What the AWS checks need: the profile and region as the helper line sets them, and the shell's parts. */
export interface AwsCheckOptions {
  readonly profile: string | undefined;
  /** --region, else the helper line's: only for a --host name. */
  readonly region: string | undefined;
  readonly host: CodeCommitHost;
  readonly env: Env;
  readonly now: () => Date;
  readonly trace: Tracer;
  readonly promptMfa?: (mfaSerial: string, profile: string) => string;
}

/** SigV4's limit on clock difference (AWS General Reference, "Signature Version 4" troubleshooting). */
const SKEW_LIMIT_S = 5 * 60;
const SKEW_WARN_S = 60;

/** Runs the checks, reporting each as it completes (STS can take a moment). */
export async function awsChecks(o: AwsCheckOptions, report: (check: Check) => void): Promise<void> {
  const [{ checkProfile, effectiveProfile, resolveCredentials }, { loadSharedConfig }] = await Promise.all([
    import("../credentials/warm-path.js"),
    import("../credentials/config-files.js"),
  ]);
  const name = effectiveProfile(o.profile, o.env);
  const label = o.profile === undefined ? `the default credential chain (profile ${name})` : `profile ${name}`;
  let checked: Awaited<ReturnType<typeof checkProfile>>;
  try {
    checked = await checkProfile(o.profile, o.env);
  } catch (err) {
    report(failure(err, label, name));
    return;
  }
  const { config } = checked;
  const files = config ?? safeLoad(() => loadSharedConfig(o.env));
  const settings = files?.profiles.get(name);
  const region = hostRegion(o.host, { region: o.region, profileRegion: () => settings?.region, env: o.env });
  if (!region) {
    report(fail(`${o.host.signedHost} names no region and none is configured`, `add --region REGION to the credential.helper line`));
    return;
  }
  report(ok(`region ${region} (${o.host.region ? "from the host name" : "configured"})`));

  // What the credentials come from, hop by hop: the session cache and an SSO sign-in are checked
  // before the resolution that depends on them.
  const chain = config ? sourceChain(checked.source) : [];
  if (chain.some((s) => s.kind === "assume-role" || s.kind === "sso")) {
    const cache = sessionCacheCheck(cliCacheDir(o.env), thisUser());
    if (cache) report(cache);
  }
  const sso = chain.find((s): s is SsoSource => s.kind === "sso");
  // "renews it" is said only once the renewal below worked: a refused one is that check's ✗ alone.
  let renewal: Check | undefined;
  if (sso) {
    const signIn = ssoTokenCheck(sso, o.env, o.now());
    if (signIn.renewing) renewal = signIn;
    else report(signIn);
    // Resolution would fail with the same cause: one ✗ for it is enough.
    if (signIn.status === "fail") return;
  }

  let credentials: SigningCredentials;
  try {
    credentials = await resolveCredentials(
      { profile: o.profile, hostRegion: region, env: o.env, trace: o.trace, promptMfa: o.promptMfa, now: o.now },
      checked,
    );
  } catch (err) {
    report(failure(err, label, name));
    return;
  }
  if (renewal) report(renewal);
  // The STS call `get` would make for this profile: its region and endpoint rule, and the proxy and
  // CA settings (the profile's ca_bundle included), through the one client factory.
  let target: ReturnType<typeof stsTarget>;
  try {
    target = stsTarget(settings?.region || region, { env: o.env, profile: settings, services: files?.services });
  } catch (err) {
    report(failure(err, label, name));
    return;
  }
  const endpoint = target.endpoint;
  const deadline = new Deadline(DOCTOR_STS_BUDGET_MS);
  const client = { ...clientContext(o.env, o.trace, { name, caBundle: setting(settings, "ca_bundle") }), deadline };
  const { identity, date, error } = await callerIdentity(client, target, credentials);
  if (identity) report(ok(`credentials from ${label} belong to ${identity.arn} (account ${identity.account})`));
  else {
    const { problem, fix } = identityCheckFailure(error, {
      label,
      endpoint,
      network: client.network,
      reconfigure: `aws configure --profile ${shellQuote(name)}`,
    });
    report(fail(problem, fix));
  }
  if (date) report(clockCheck(o.now(), date));
}

/** The credential source and, for a role, the sources behind it, outermost first. */
function sourceChain(first: CredentialSource): Array<CredentialSource | CanonicalSource> {
  const chain: Array<CredentialSource | CanonicalSource> = [];
  for (
    let source: CredentialSource | CanonicalSource | undefined = first;
    source !== undefined;
    source = source.kind === "assume-role" ? source.source : undefined
  )
    chain.push(source);
  return chain;
}

function safeLoad<T>(load: () => T): T | undefined {
  try {
    return load();
  } catch {
    return undefined;
  }
}

function failure(err: unknown, label: string, profile: string): Check {
  if (err instanceof HelperError) {
    const text = `credentials from ${label}: ${err.problem}. ${err.hint}`;
    // Where the hint is not itself a command, the command that creates or fixes the profile.
    const fix = /^Run "([^"]+)"/.exec(err.hint)?.[1] ?? `aws configure --profile ${shellQuote(profile)}`;
    return err.kind === "unknown-profile" || err.kind === "no-credentials" || err.kind === "sso-expired" ? fail(text, fix) : fail(text);
  }
  return fail(`credentials from ${label}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
}

/** How far our clock is from STS's, in whole minutes when it matters. */
export function clockCheck(now: Date, stsDate: Date): Check {
  const skew = Math.round((now.getTime() - stsDate.getTime()) / 1000);
  const size = Math.abs(skew);
  if (size <= SKEW_WARN_S) return ok("the clock agrees with STS (within a minute)");
  const minutes = Math.round(size / 60);
  const text = `this computer's clock is ${minutes} minute${minutes === 1 ? "" : "s"} ${skew > 0 ? "ahead of" : "behind"} STS`;
  const fixes = ["sudo timedatectl set-ntp true", "sudo sntp -sS time.apple.com  # on macOS"];
  if (size <= SKEW_LIMIT_S) return warn(`${text}; SigV4 signatures are refused beyond 5 minutes`, ...fixes);
  return fail(`${text}: AWS refuses SigV4 signatures more than 5 minutes off, CodeCommit passwords included`, ...fixes);
}
