/**
 * Turns whatever the SDK threw into a HelperError naming the profile, role, region or file and the
 * fix (contract §7). SDK messages are matched on their stable phrases; an unrecognised failure
 * still gets one line with the SDK's own message (which never contains a secret).
 */
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type { SharedConfig } from "./config-files.js";

export interface ErrorContext {
  readonly profile: string;
  readonly stsRegion: string;
  readonly env: Env;
  readonly config: SharedConfig | undefined;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

export function explainCredentialError(err: unknown, ctx: ErrorContext): HelperError {
  if (err instanceof HelperError) return err;
  const e = (err ?? {}) as { name?: string; message?: string; code?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const message = String(e.message ?? err).split("\n")[0]?.trim() ?? "";
  const roleArn = ctx.config?.profiles.get(ctx.profile)?.role_arn;
  const role = roleArn ? ` role ${roleArn}` : "";
  const sts = stsEndpoint(ctx);

  if (e.name === "DeadlineExceeded" || e.name === "TimeoutError" || NETWORK_CODES.has(e.code ?? "") || /socket hang up|timed? ?out|ECONNREFUSED|EHOSTUNREACH/i.test(message)) {
    return new HelperError(
      "unreachable",
      `could not reach AWS for profile ${ctx.profile}${role} (${sts}): ${message || e.code}`,
      "Check the network, proxy and endpoint settings, then try again",
      { cause: err },
    );
  }
  if (e.name === "AccessDenied" || e.Code === "AccessDenied" || /not authorized to perform/i.test(message)) {
    return new HelperError(
      "sts-denied",
      `STS denied${role ? ` assuming${role}` : " the request"} for profile ${ctx.profile} in ${ctx.stsRegion}: ${message}`,
      "Check the role's trust policy and the source identity's sts:AssumeRole permission",
      { cause: err },
    );
  }
  if (/sso/i.test(message) && /expired|not found or is invalid|refresh/i.test(message)) {
    return new HelperError("sso-expired", `the SSO session for profile ${ctx.profile} has expired or was never started`, `Run "aws sso login --profile ${ctx.profile}"`, { cause: err });
  }
  if (e.$metadata?.httpStatusCode && e.name) {
    return new HelperError("credentials", `AWS refused credentials for profile ${ctx.profile}${role}: ${e.name}: ${message}`, "Check the profile's settings", { cause: err });
  }
  if (/Could not load credentials from any providers|Could not resolve credentials using profile|Unable to find environment variable credentials/i.test(message)) {
    const files = ctx.config ? `${ctx.config.configFile}, ${ctx.config.credentialsFile}, ` : "";
    return new HelperError(
      "no-credentials",
      `no AWS credentials found for profile ${ctx.profile} (looked in the environment, ${files}SSO, credential_process, web identity, container and instance metadata)`,
      `Run "aws configure --profile ${ctx.profile}", or pass --profile with a configured profile`,
      { cause: err },
    );
  }
  return new HelperError("credentials", `could not get credentials for profile ${ctx.profile}${role}: ${message}`, "Check the profile with \"aws sts get-caller-identity --profile " + ctx.profile + "\"", { cause: err });
}

/** Where STS calls went, for the message: the configured endpoint or the regional default. */
function stsEndpoint(ctx: ErrorContext): string {
  const configured = ctx.env[ENV.stsEndpoint] ?? ctx.env[ENV.endpoint];
  if (configured) return `STS endpoint ${configured}`;
  const suffix = ctx.stsRegion.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `STS endpoint sts.${ctx.stsRegion}.${suffix}`;
}

