/**
 * Turns what a network call threw (the AWS SDK, the proxy agent, Node's TLS, our deadline) into a
 * HelperError naming the peer, profile, role, region and the network settings in effect, with the
 * fix, in the one-line form errors.ts describes. No SDK text reaches the user unfiltered: only an
 * AWS error's own code and message (which never hold a secret), stripped of SDK prefixes and
 * trailing periods.
 */
import { HelperError } from "../errors.js";
import { describeNetwork, displayProxy, type NetworkSettings, proxyFor } from "./network.js";

/** Who was called, for whom, and how. */
export interface Peer {
  readonly name: "STS" | "SSO" | "IAM Identity Center (OIDC)" | "AWS sign-in";
  readonly profile: string;
  readonly region: string;
  readonly network: NetworkSettings;
  /** The run's network budget, named when it ran out. */
  readonly budgetMs: number;
  readonly endpoint?: URL;
  readonly roleArn?: string;
}

/** Error codes of a connection that never got an answer. */
export const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ECONNABORTED",
]);
/** Node/OpenSSL codes of a certificate that is not trusted. */
const TLS_CODES =
  /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_|HOSTNAME_MISMATCH)/;
/** Errors of the caller's own credentials, not of the role. */
const BAD_SOURCE = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "IncompleteSignature",
]);
const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/;

type SdkError = {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  cause?: unknown;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number; headers?: Record<string, string> };
};

/** How a message names `peer`: whose call it was, where it went, and through which proxy. */
function describePeer(peer: Omit<Peer, "budgetMs">): { role: string; who: string; where: string; via: string; proxy: string | undefined } {
  const role = peer.roleArn ? ` role ${peer.roleArn}` : "";
  const how = peer.endpoint ? describeNetwork(peer.endpoint, peer.network) : "";
  return {
    role,
    who: `profile ${peer.profile}${role}`,
    where: peer.endpoint ? `${peer.name} at ${peer.endpoint.host}` : peer.name,
    via: how ? `, ${how}` : "",
    proxy: peer.endpoint ? proxyFor(peer.endpoint, peer.network) : undefined,
  };
}

/** The HelperError for `err`, thrown while calling `peer`. */
export function explainCredentialError(err: unknown, peer: Peer): HelperError {
  if (err instanceof HelperError) return err;
  const settings = networkSettingsFailure(err, peer);
  if (settings) return settings;
  const e = (err ?? {}) as SdkError;
  const code = errorCode(err);
  const message = cleanMessage(e.message ?? String(err));
  const { role, who, where, via, proxy } = describePeer(peer);
  const opts = { cause: err };

  if (e.name === "DeadlineExceeded" || e.name === "TimeoutError" || e.name === "AbortError" || (code && UNREACHABLE_CODES.has(code))) {
    const what =
      e.name === "DeadlineExceeded" || e.name === "AbortError" || e.name === "TimeoutError"
        ? `no answer within ${peer.budgetMs / 1000} s`
        : describeCode(code as string);
    return new HelperError(
      "unreachable",
      `could not reach ${where} for ${who}${via}: ${what}`,
      proxy
        ? "Check that the proxy allows CONNECT to AWS, or set NO_PROXY for this host"
        : "Check the network, or set HTTPS_PROXY if AWS is reached through a proxy",
      opts,
    );
  }
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const requestId = e.$metadata?.requestId ?? e.$response?.headers?.["x-amzn-requestid"];
  const idText = requestId ? `, request id ${requestId}` : "";
  const name = e.name ?? "";
  if (name === "AccessDenied" || e.Code === "AccessDenied" || /not authorized to perform/i.test(message)) {
    return new HelperError(
      "sts-denied",
      `${peer.name} denied${role ? ` assuming${role}` : " the request"} for profile ${peer.profile} in ${peer.region}: ${message}`,
      "Check the role's trust policy and the source identity's sts:AssumeRole permission",
      opts,
    );
  }
  if (peer.name === "SSO" && (name === "UnauthorizedException" || name === "UnauthorizedClientException")) {
    return new HelperError(
      "sso-expired",
      `the SSO session for profile ${peer.profile} has expired or was never started`,
      `Run "git-credential-codecommit login --profile ${peer.profile}"`,
      opts,
    );
  }
  if (BAD_SOURCE.has(name)) {
    return new HelperError(
      "credentials",
      `${where} refused the credentials used to assume${role || " the role"} for profile ${peer.profile}: ${name}: ${message}`,
      "Refresh the source profile's credentials",
      opts,
    );
  }
  if (
    (status !== undefined && status >= 500) ||
    e.$fault === "server" ||
    THROTTLING.test(name) ||
    (err instanceof Error &&
      (err.name === "MalformedReply" || /Deserialization error|Unexpected token|not valid JSON|XML/i.test(err.message)))
  ) {
    const what =
      status !== undefined && status !== 200
        ? `HTTP ${status}${name && !/^(Error|Unknown|UnknownError)$/.test(name) ? ` ${name}` : ""}`
        : "a reply that is not a valid answer";
    return new HelperError(
      "aws-error",
      `${where} answered with an error (${what}${idText}) for ${who}`,
      "Try again later; if it persists, check the endpoint and proxy settings",
      opts,
    );
  }
  if (status !== undefined && name) {
    return new HelperError(
      "credentials",
      `${where} refused the request for ${who}: ${name}: ${message}${idText ? ` (${idText.slice(2)})` : ""}`,
      "Check the profile's settings",
      opts,
    );
  }
  return new HelperError(
    "credentials",
    `could not get credentials from ${where} for ${who}${message ? `: ${message}` : ""}`,
    `Run again with --debug for details`,
    opts,
  );
}

/**
 * The failures that the proxy and CA settings explain, for any command's call to `peer`: a
 * certificate not trusted, a proxy that cannot be used or asks for authentication. Undefined for
 * any other failure.
 */
export function networkSettingsFailure(err: unknown, peer: Omit<Peer, "budgetMs">): HelperError | undefined {
  const e = (err ?? {}) as SdkError;
  const code = errorCode(err);
  const { who, where, via, proxy } = describePeer(peer);
  const opts = { cause: err };

  if (code && TLS_CODES.test(code)) {
    const ca = peer.network.caBundle;
    return new HelperError(
      "network-config",
      `the TLS certificate of ${where} is not trusted (${code}) for ${who}${via}`,
      ca
        ? `Check that ${ca.file} (${ca.setting}) holds the CA that signs it`
        : "If your network inspects TLS, set AWS_CA_BUNDLE (or ca_bundle in the profile) to its CA bundle",
      opts,
    );
  }
  const timedOut = e.name === "DeadlineExceeded" || e.name === "TimeoutError" || e.name === "AbortError";
  if (proxy && code && UNREACHABLE_CODES.has(code) && !timedOut) {
    // Through a proxy our only connection is to the proxy (the proxy connects onward and reports
    // its own failures as an HTTP status), so a refused or reset connection is the proxy's.
    return new HelperError(
      "unreachable",
      `the proxy ${displayProxy(proxy)} (HTTPS_PROXY) could not be used to reach ${where} for ${who}: ${describeCode(code)}`,
      "Check that the proxy is running and HTTPS_PROXY/NO_PROXY are right",
      opts,
    );
  }
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  if (proxy && status === 407) {
    return new HelperError(
      "unreachable",
      `the proxy ${displayProxy(proxy)} (HTTPS_PROXY) asks for authentication (HTTP 407) to reach ${where} for ${who}`,
      "Put the proxy's user and password in HTTPS_PROXY (http://user:password@host:port)",
      opts,
    );
  }
  return undefined;
}

/** The errno/OpenSSL code of `err` or of what caused it. */
function errorCode(err: unknown): string | undefined {
  for (let e = err as SdkError | undefined, depth = 0; e && depth < 5; e = e.cause as SdkError | undefined, depth++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

function describeCode(code: string): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name not found";
    case "ECONNRESET":
    case "EPIPE":
    case "ECONNABORTED":
      return "connection closed";
    default:
      return code;
  }
}

/** An SDK or runtime message as one clean clause: no logger prefix, no stack, no trailing period. */
export function cleanMessage(text: string): string {
  return (text.split("\n")[0] ?? "")
    .replace(/^@(smithy|aws-sdk)\/[\w-]+\s*-\s*(\[\w+\]\s*)?/, "")
    .trim()
    .replace(/[.\s]+$/, "");
}

/** What doctor's GetCallerIdentity check needs to word its failure. */
export interface IdentityCheck {
  /** Whose credentials, e.g. "profile dev". */
  readonly label: string;
  readonly endpoint: URL;
  readonly network: NetworkSettings;
  /** The command that fixes the profile's keys (`aws configure --profile NAME`). */
  readonly reconfigure: string;
}

/**
 * doctor's GetCallerIdentity failed: the credentials resolved but STS refused them, or STS was not
 * reached (with the proxy and CA in effect named, since doctor uses them as `get` does).
 */
export function identityCheckFailure(err: unknown, check: IdentityCheck): { readonly problem: string; readonly fix: string } {
  const where = check.endpoint.href.replace(/\/$/, "");
  if (err instanceof HelperError)
    return { problem: `could not check the credentials from ${check.label} with STS (${where}): ${err.problem}`, fix: err.hint };
  const e = (err ?? {}) as SdkError;
  const said = `${e.name ?? "Error"}: ${String(e.message ?? err).split("\n")[0]}`;
  if (e.$metadata?.httpStatusCode) {
    // InvalidClientTokenId, ExpiredToken, SignatureDoesNotMatch: keys that AWS does not accept.
    return { problem: `credentials from ${check.label} were refused by STS (${where}): ${said}`, fix: check.reconfigure };
  }
  const how = describeNetwork(check.endpoint, check.network);
  const code = errorCode(err);
  if (code && TLS_CODES.test(code)) {
    const ca = check.network.caBundle;
    return {
      problem: `the TLS certificate of STS (${where}${how ? `, ${how}` : ""}) is not trusted (${code}), so the credentials from ${check.label} could not be checked`,
      fix: ca
        ? `check that ${ca.file} (${ca.setting}) holds the CA that signs it`
        : "if your network inspects TLS, set AWS_CA_BUNDLE (or ca_bundle in the profile) to its CA bundle",
    };
  }
  return {
    problem: `could not reach STS (${where}${how ? `, ${how}` : ""}) to check the credentials from ${check.label}: ${said}`,
    fix: "check the network, HTTPS_PROXY/NO_PROXY and AWS_CA_BUNDLE, then run doctor again",
  };
}
