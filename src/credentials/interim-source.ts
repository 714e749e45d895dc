/**
 * INTERIM ADAPTER — to be deleted when issue 8a's decision function (src/aws-config/) lands: the
 * integrator then calls that function where providers.ts calls {@link interimCredentialSource}.
 *
 * Maps today's merged `loadSharedConfig` profiles to a {@link CredentialSource} in botocore's order,
 * so that the resolver can be built and tested before 8a's exact reading exists. Known gaps that
 * 8a closes: the merged map cannot tell credentials-file keys (before credential_process) from
 * config-file keys (after it); partial keys are not refused.
 */
import type { AssumeRoleSource, CanonicalSource, CredentialSource, EnvSource } from "../aws-config/credential-source.js";
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import { ssoSource } from "../sso/sso-profile.js";
import type { ProfileSettings, SharedConfig } from "./config-files.js";
import { assumeRoleArgs } from "./role-cache.js";

/** The environment's keys, when both are set (botocore EnvProvider). */
export function environmentSource(env: Env): EnvSource | undefined {
  const accessKeyId = env[ENV.accessKeyId];
  const secretAccessKey = env[ENV.secretAccessKey];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env[ENV.sessionToken] || env[ENV.securityToken];
  const expiration = env[ENV.credentialExpiration];
  return { kind: "env", accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(expiration ? { expiration } : {}) };
}

/** The source botocore would use for `profile` (--profile, or undefined for the default chain). */
export function interimCredentialSource(profile: string | undefined, env: Env, config: SharedConfig | undefined): CredentialSource {
  // botocore drops the environment provider only for an explicitly given profile.
  if (profile === undefined) {
    const fromEnv = environmentSource(env);
    if (fromEnv) return fromEnv;
  }
  const name = profile ?? env[ENV.profile] ?? env[ENV.defaultProfile] ?? "default";
  const settings = config?.profiles.get(name);
  const own = settings && config ? profileSource(name, settings, config, env, [name]) : undefined;
  if (own) return own;
  if (!settings && env[ENV.webIdentityTokenFile] && env[ENV.roleArn]) return envWebIdentity(env);
  return { kind: "container-or-imds" };
}

function envWebIdentity(env: Env): CredentialSource {
  return {
    kind: "web-identity",
    roleArn: env[ENV.roleArn] as string,
    tokenFile: env[ENV.webIdentityTokenFile] as string,
    ...(env[ENV.roleSessionName] ? { roleSessionName: env[ENV.roleSessionName] } : {}),
  };
}

function profileSource(name: string, s: ProfileSettings, config: SharedConfig, env: Env, visited: string[]): CredentialSource | undefined {
  if (s.role_arn !== undefined && s.web_identity_token_file === undefined) return roleSource(name, s, config, env, visited);
  return nonRoleSource(name, s, env, config);
}

/** The providers of a profile that are not assume-role, in botocore's order. */
function nonRoleSource(name: string, s: ProfileSettings, env: Env, config: SharedConfig): CredentialSource | undefined {
  if (s.web_identity_token_file && s.role_arn) {
    return { kind: "web-identity", profile: name, roleArn: s.role_arn, tokenFile: s.web_identity_token_file, ...(s.role_session_name ? { roleSessionName: s.role_session_name } : {}), ...(s.region ? { region: s.region } : {}) };
  }
  if (env[ENV.webIdentityTokenFile] && (env[ENV.roleArn] || s.role_arn)) return envWebIdentity(env);
  if (s.sso_account_id || s.sso_role_name || s.sso_start_url || s.sso_session) return ssoSource(name, s, env, config);
  if (s.aws_access_key_id && s.aws_secret_access_key) {
    const sessionToken = s.aws_session_token || s.aws_security_token;
    return { kind: "static", profile: name, file: config.credentialsFile, accessKeyId: s.aws_access_key_id, secretAccessKey: s.aws_secret_access_key, ...(sessionToken ? { sessionToken } : {}) };
  }
  if (s.credential_process) return { kind: "process", profile: name, command: s.credential_process };
  if (s.login_session) return { kind: "login-session", profile: name, loginSession: s.login_session, ...(s.region ? { region: s.region } : {}) };
  return undefined;
}

function roleSource(name: string, s: ProfileSettings, config: SharedConfig, env: Env, visited: string[]): AssumeRoleSource {
  const args = assumeRoleArgs(s);
  const base = {
    kind: "assume-role" as const,
    profile: name,
    roleArn: s.role_arn as string,
    ...(args?.ExternalId !== undefined ? { externalId: args.ExternalId } : {}),
    ...(args?.RoleSessionName !== undefined ? { roleSessionName: args.RoleSessionName } : {}),
    ...(args?.DurationSeconds !== undefined ? { durationSeconds: args.DurationSeconds } : {}),
    ...(args?.SerialNumber !== undefined ? { mfaSerial: args.SerialNumber } : {}),
    ...(s.region ? { region: s.region } : {}),
    settings: s,
  };
  const invalid = (problem: string): HelperError => new HelperError("credentials", problem, `Fix the profile ${name} in ${config.configFile}`);
  if (s.source_profile !== undefined && s.credential_source !== undefined) {
    throw invalid(`the profile ${name} has both source_profile and credential_source`);
  }
  if (s.credential_source !== undefined) {
    return { ...base, source: canonicalSource(s.credential_source, env, invalid) };
  }
  if (s.source_profile === undefined) {
    throw invalid(`the profile ${name} has role_arn but neither source_profile nor credential_source`);
  }
  const sourceName = s.source_profile;
  const source = config.profiles.get(sourceName);
  if (!source) {
    const known = [...config.profiles.keys()].sort();
    throw new HelperError(
      "unknown-profile",
      `the source_profile "${sourceName}" named in the profile ${name} is not a profile in ${config.configFile} or ${config.credentialsFile}`,
      known.length > 0 ? `Set source_profile to one of: ${known.join(", ")}` : `Add the profile ${sourceName}`,
    );
  }
  const hasStatic = source.aws_access_key_id !== undefined || source.aws_secret_access_key !== undefined;
  if (visited.includes(sourceName) && !(sourceName === name && hasStatic)) {
    throw invalid(`the profiles ${[...visited, sourceName].join(" -> ")} form a source_profile loop`);
  }
  let inner: CredentialSource | undefined;
  if (hasStatic || source.role_arn === undefined || sourceName === name) inner = nonRoleSource(sourceName, source, env, config);
  else inner = roleSource(sourceName, source, config, env, [...visited, sourceName]);
  if (!inner) throw invalid(`the source_profile "${sourceName}" of the profile ${name} has no credentials`);
  return { ...base, source: inner };
}

function canonicalSource(name: string, env: Env, invalid: (p: string) => HelperError): CanonicalSource {
  switch (name) {
    case "Environment": {
      const fromEnv = environmentSource(env);
      return { kind: "canonical", name, ...(fromEnv ? { env: fromEnv } : {}) };
    }
    case "Ec2InstanceMetadata":
    case "EcsContainer":
      return { kind: "canonical", name };
    default:
      throw invalid(`credential_source "${name}" is not one of Environment, Ec2InstanceMetadata, EcsContainer`);
  }
}
