/**
 * The end of botocore's chain, when neither the environment nor the files give credentials: the
 * container credentials endpoint when one is configured, else instance metadata (IMDS).
 */
import { HelperError } from "../../errors.js";
import type { SigningCredentials } from "../../password.js";
import {
  containerConfigured,
  containerCredentials,
  imdsCredentials,
  imdsEnabled,
  type InstanceContext,
} from "../../aws-client/instance-sources.js";
import type { SourceContext } from "../source-context.js";

/** Nothing in the environment or the files: the container endpoint, else instance metadata. */
export async function lastResort(ctx: SourceContext): Promise<SigningCredentials> {
  if (containerConfigured(ctx.env)) return containerCredentials(instanceContext(ctx));
  const looked = ["the environment", ...ctx.files].join(", ");
  // git runs the helper, so the profile is changed on its line (setup), not on a command line.
  const hint = `Run "aws configure --profile ${ctx.profile}", or "git-credential-codecommit setup --profile NAME" with a configured profile`;
  if (!imdsEnabled(ctx.env)) {
    throw new HelperError(
      "no-credentials",
      `no AWS credentials found for profile ${ctx.profile} (looked in ${looked}; instance metadata is off by AWS_EC2_METADATA_DISABLED)`,
      hint,
    );
  }
  const outcome = await imdsCredentials(instanceContext(ctx));
  if (outcome.kind === "credentials") return outcome.credentials;
  if (outcome.kind === "no-answer") {
    throw new HelperError(
      "no-credentials",
      `no AWS credentials found for profile ${ctx.profile} (looked in ${looked}), and instance metadata did not answer`,
      `${hint}; on a machine without an instance role, set AWS_EC2_METADATA_DISABLED=true`,
    );
  }
  throw new HelperError(
    "no-credentials",
    `no AWS credentials found for profile ${ctx.profile} (looked in ${looked} and instance metadata)`,
    hint,
  );
}

/** What the container and instance metadata clients need from the run. */
export function instanceContext(ctx: SourceContext): InstanceContext {
  return { ...ctx, profile: ctx.profile };
}
