/**
 * doctor's checks of the AWS side (contract §9): the region, credentials that resolve exactly as
 * `get` resolves them, whose they are (STS GetCallerIdentity), and the clock against the STS
 * response's Date header (SigV4, and so CodeCommit, refuses a signature more than 5 minutes off).
 * No secret is printed: only the account and the ARN.
 */
import type { CanonicalSource, CredentialSource, SsoSource } from "../aws-config/credential-source.js";
import { thisUser } from "../credentials/own-file.js";
import { cliCacheDir } from "../credentials/role-cache.js";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { CodeCommitHost } from "../host.js";
import { hostRegion } from "../host-region.js";
import type { SigningCredentials } from "../password.js";
import { shellQuote } from "../git/helper-line.js";
import { sdkLogger, type Tracer } from "../trace.js";
import { sessionCacheCheck } from "./cache-check.js";
import { fail, ok, warn, type Check } from "./check.js";
import { ssoTokenCheck } from "./sso-check.js";
import { sdkPackage } from "../sdk-loader.js";

/** What the AWS checks need: the profile and region as the helper line sets them, and the shell's parts. */
export interface AwsCheckOptions {
  readonly profile: string | undefined;
  /** --region, else the helper line's: only for a --host name. */
  readonly region: string | undefined;
  readonly host: CodeCommitHost;
  readonly env: Env;
  readonly now: () => Date;
  readonly trace: Tracer;
  readonly promptMfa: (mfaSerial: string, profile: string) => string;
}

/** SigV4's limit on clock difference (AWS General Reference, "Signature Version 4" troubleshooting). */
const SKEW_LIMIT_S = 5 * 60;
const SKEW_WARN_S = 60;
/** The whole GetCallerIdentity call, retries included, fails within this (never hang, like §7). */
const STS_DEADLINE_MS = 8_000;

/** Runs the checks, reporting each as it completes (STS can take a moment). */
export async function awsChecks(o: AwsCheckOptions, report: (check: Check) => void): Promise<void> {
  const [{ checkProfile, effectiveProfile }, { resolveCredentials }, { loadSharedConfig }] = await Promise.all([
    import("../credentials/check-profile.js"),
    import("../credentials/resolve-credentials.js"),
    import("../credentials/config-files.js"),
  ]);
  const name = effectiveProfile(o.profile, o.env);
  const label = o.profile === undefined ? `the default credential chain (profile ${name})` : `profile ${name}`;
  let checked;
  try {
    checked = checkProfile(o.profile, o.env);
  } catch (err) {
    report(failure(err, label, name));
    return;
  }
  const { config } = checked;
  const settings = (config ?? safeLoad(() => loadSharedConfig(o.env)))?.profiles.get(name);
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
    credentials = await resolveCredentials({ profile: o.profile, hostRegion: region, env: o.env, trace: o.trace, promptMfa: o.promptMfa, now: o.now }, checked);
  } catch (err) {
    report(failure(err, label, name));
    return;
  }
  if (renewal) report(renewal);
  const stsRegion = settings?.region || region;
  const endpoint = o.env[ENV.stsEndpoint] ?? o.env[ENV.endpoint] ?? settings?.endpoint_url;
  const { identity, date, error } = await callerIdentity(credentials, stsRegion, endpoint, o.trace);
  if (identity) report(ok(`credentials from ${label} belong to ${identity.arn} (account ${identity.account})`));
  else report(stsFailure(error, label, name, endpoint ?? `sts.${stsRegion}.${stsRegion.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`));
  if (date) report(clockCheck(o.now(), date));
}

/** The credential source and, for a role, the sources behind it, outermost first. */
function sourceChain(first: CredentialSource): Array<CredentialSource | CanonicalSource> {
  const chain: Array<CredentialSource | CanonicalSource> = [];
  for (let source: CredentialSource | CanonicalSource | undefined = first; source !== undefined; source = source.kind === "assume-role" ? source.source : undefined) chain.push(source);
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

/** GetCallerIdentity failed: the credentials resolved but STS refused them, or STS did not answer. */
function stsFailure(err: unknown, label: string, profile: string, endpoint: string): Check {
  const e = (err ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const said = `${e.name ?? "Error"}: ${String(e.message ?? err).split("\n")[0]}`;
  if (e.$metadata?.httpStatusCode) {
    // InvalidClientTokenId, ExpiredToken, SignatureDoesNotMatch: keys that AWS does not accept.
    return fail(`credentials from ${label} were refused by STS (${endpoint}): ${said}`, `aws configure --profile ${shellQuote(profile)}`);
  }
  return fail(`could not reach STS (${endpoint}) to check the credentials from ${label}: ${said}`, "check the network, HTTPS_PROXY/NO_PROXY and AWS_CA_BUNDLE, then run doctor again");
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

interface IdentityResult {
  readonly identity?: { arn: string; account: string };
  /** The Date header of the last STS response, if one came. */
  readonly date?: Date;
  readonly error?: unknown;
}

/** STS GetCallerIdentity with these credentials; the response's Date header is kept for the clock check. */
async function callerIdentity(credentials: SigningCredentials, region: string, endpoint: string | undefined, trace: Tracer): Promise<IdentityResult> {
  const { STSClient, GetCallerIdentityCommand } = await sdkPackage("client-sts");
  const client = new STSClient({
    region,
    credentials,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 2_500, requestTimeout: 3_500, throwOnRequestTimeout: true },
    logger: sdkLogger(trace),
  });
  let date: Date | undefined;
  // Innermost in the deserialize step: sees the raw response, error responses included.
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const header = (out.response as { headers?: Record<string, string> }).headers?.date;
      const parsed = header ? new Date(header) : undefined;
      if (parsed && !Number.isNaN(parsed.getTime())) date = parsed;
      return out;
    },
    { step: "deserialize", priority: "low", name: "doctorResponseDate" },
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${STS_DEADLINE_MS / 1000} s`), { name: "TimeoutError" })), STS_DEADLINE_MS);
  });
  try {
    const r = await Promise.race([client.send(new GetCallerIdentityCommand({})), deadline]);
    return { identity: { arn: r.Arn ?? "(no ARN)", account: r.Account ?? "(no account)" }, ...(date ? { date } : {}) };
  } catch (error) {
    return { error, ...(date ? { date } : {}) };
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}
