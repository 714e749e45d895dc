/**
 * `credential_source` of a role profile: botocore's CanonicalNameCredentialSourcer, which takes the
 * role's source credentials from the environment, the container endpoint or instance metadata.
 */
import type { CanonicalSource } from "../../aws-config/credential-source.js";
import { HelperError } from "../../errors.js";
import type { SigningCredentials } from "../../password.js";
import { containerCredentials, imdsCredentials } from "../../aws-client/instance-sources.js";
import type { SourceContext } from "../source-context.js";
import { instanceContext } from "./container-or-imds.js";
import { envCredentials } from "./given-keys.js";

export async function canonicalCredentials(source: CanonicalSource, ctx: SourceContext): Promise<SigningCredentials> {
  switch (source.name) {
    case "Environment":
      if (!source.env) {
        throw new HelperError(
          "no-credentials",
          `the profile ${ctx.profile} takes its credentials from the environment (credential_source = Environment), but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set`,
          "Set them, or change credential_source",
        );
      }
      return envCredentials(source.env, ctx.now());
    case "EcsContainer":
      return containerCredentials(instanceContext(ctx));
    case "Ec2InstanceMetadata": {
      const outcome = await imdsCredentials(instanceContext(ctx));
      if (outcome.kind === "credentials") return outcome.credentials;
      throw new HelperError(
        outcome.kind === "no-answer" ? "unreachable" : "no-credentials",
        `the profile ${ctx.profile} takes its credentials from instance metadata (credential_source = Ec2InstanceMetadata), which ${outcome.kind === "no-answer" ? "did not answer" : "has no instance role"}`,
        "Run this on an EC2 instance with an instance role, or change credential_source",
      );
    }
  }
}
