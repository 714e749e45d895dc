/**
 * The credential source botocore 1.43 would use, decided without network from our reading of the
 * files and the environment. It follows `create_credential_resolver` provider by
 * provider and raises where botocore raises while *loading* (before any network call):
 *
 *   environment (not with --profile) → assume role (`role_arn` without `web_identity_token_file`)
 *   → web identity → SSO → credentials-file keys → `login_session` → `credential_process`
 *   → config-file keys → container / instance metadata.
 *
 * Not followed: boto2's `AWS_CREDENTIAL_FILE`, `BOTO_CONFIG` and `~/.boto` (see README,
 * "Deliberate differences from the AWS CLI").
 */
import { ENV, type Env } from "../env.js";
import { HelperError } from "../errors.js";
import type {
  AssumeRoleSource,
  CanonicalSource,
  CredentialSource,
  SsoSource,
  StaticSource,
  WebIdentitySource,
} from "./credential-source.js";
import { envSource, partialCredentials } from "./environment-credentials.js";
import { emptySettings, hasSetting, setting } from "./ini.js";
import { selectProfile } from "./profile-name.js";
import { pyInt } from "./python-text.js";
import type { ProfileSettings, SharedConfig } from "./shared-config.js";

/** What the decision needs: the command line's `--profile`, the environment and our reading of the files. */
export interface CredentialSourceInput {
  /** `--profile` as given (undefined or "" when absent). */
  readonly profileArg: string | undefined;
  readonly env: Env;
  readonly config: SharedConfig;
}

/** botocore's CANONICAL_NAME of the providers a `credential_source` may name (compared exactly). */
const CANONICAL_NAMES: readonly CanonicalSource["name"][] = ["Environment", "EcsContainer", "Ec2InstanceMetadata"];

/** Decides the source, or throws the HelperError botocore's refusal corresponds to. */
export function credentialSourceFor(input: CredentialSourceInput): CredentialSource {
  const { profileArg, env, config } = input;
  const selection = selectProfile(profileArg, env);
  // The AWS CLI looks the named profile up before anything else (Session.get_scoped_config).
  if (selection.named !== undefined && !config.profiles.has(selection.named)) {
    throw unknownProfile(selection.named, config);
  }
  const disableEnv = selection.fromArgument;
  const name = selection.profile;
  if (!disableEnv) {
    const fromEnv = envSource(env);
    if (fromEnv) return fromEnv;
  }
  const profile = config.profiles.get(name);
  if (hasAssumeRoleVars(profile)) return new RoleChain(config, env, name).assumeRole(name);
  return profileSource(config, env, name, disableEnv) ?? { kind: "container-or-imds" };
}

function hasAssumeRoleVars(profile: ProfileSettings | undefined): boolean {
  return hasSetting(profile, "role_arn") && !hasSetting(profile, "web_identity_token_file");
}

function hasStaticCredentials(profile: ProfileSettings | undefined): boolean {
  return hasSetting(profile, "aws_secret_access_key") || hasSetting(profile, "aws_access_key_id");
}

/** ProfileProviderBuilder.providers: the profile's own sources, in botocore's order. */
function profileSource(config: SharedConfig, env: Env, name: string, disableEnv: boolean): CredentialSource | undefined {
  const profile = config.profiles.get(name);
  return (
    webIdentitySource(profile, env, name, disableEnv) ??
    ssoSource(config, profile, name) ??
    staticSource(config.credentialsProfiles?.get(name), name, config.credentialsFile) ??
    (hasSetting(profile, "login_session")
      ? { kind: "login-session", profile: name, loginSession: setting(profile, "login_session")!, ...region(profile) }
      : undefined) ??
    (hasSetting(profile, "credential_process")
      ? { kind: "process", profile: name, command: setting(profile, "credential_process")! }
      : undefined) ??
    staticSource((config.configProfiles ?? config.profiles).get(name), name, config.configFile)
  );
}

function region(profile: ProfileSettings | undefined): { region?: string } {
  const value = setting(profile, "region");
  return value !== undefined ? { region: value } : {};
}

/** AssumeRoleWithWebIdentityProvider: the environment's settings win unless --profile was given. */
function webIdentitySource(
  profile: ProfileSettings | undefined,
  env: Env,
  name: string,
  disableEnv: boolean,
): WebIdentitySource | undefined {
  const get = (key: string, envName: string): string | undefined => {
    if (!disableEnv && env[envName] !== undefined) return env[envName];
    return setting(profile, key);
  };
  const tokenFile = get("web_identity_token_file", ENV.webIdentityTokenFile);
  if (!tokenFile) return undefined;
  const roleArn = get("role_arn", ENV.roleArn);
  if (!roleArn) {
    throw new HelperError(
      "profile-config",
      `the AWS profile "${name}" or the environment names a web identity token file but no role ARN`,
      `Set role_arn in the profile or ${ENV.roleArn}`,
    );
  }
  const roleSessionName = get("role_session_name", ENV.roleSessionName);
  return {
    kind: "web-identity",
    profile: name,
    roleArn,
    tokenFile,
    // An empty name makes botocore generate one, as for no name.
    ...(roleSessionName ? { roleSessionName } : {}),
    ...region(profile),
  };
}

/** SSOProvider._load_sso_config: `sso_role_name` or `sso_account_id` makes it an SSO profile. */
function ssoSource(config: SharedConfig, profile: ProfileSettings | undefined, name: string): SsoSource | undefined {
  if (!hasSetting(profile, "sso_role_name") && !hasSetting(profile, "sso_account_id")) return undefined;
  const merged = Object.assign(emptySettings(), profile);
  const sessionName = setting(profile, "sso_session");
  const required = ["sso_role_name", "sso_account_id", "sso_start_url", "sso_region"];
  if (sessionName !== undefined) {
    const session = config.ssoSessions?.get(sessionName);
    if (!session) {
      throw new HelperError(
        "profile-config",
        `the AWS profile "${name}" names the sso_session "${sessionName}", which has no [sso-session ${sessionName}] section in ${config.configFile}`,
        "Add that section or fix the name",
      );
    }
    for (const key of Object.keys(session)) {
      const value = session[key] as string;
      if (hasSetting(merged, key) && merged[key] !== value) {
        throw new HelperError(
          "profile-config",
          `the AWS profile "${name}" and its sso-session "${sessionName}" set ${key} differently`,
          "Keep the setting in one place",
        );
      }
      merged[key] = value;
    }
    required.push("sso_session");
  }
  const missing = required.filter((key) => !hasSetting(merged, key));
  if (missing.length > 0) {
    throw new HelperError(
      "profile-config",
      `the AWS profile "${name}" is configured for SSO but lacks ${missing.join(", ")}`,
      `Run "aws configure sso --profile ${name}" or add the missing settings`,
    );
  }
  const scopes = setting(merged, "sso_registration_scopes");
  return {
    kind: "sso",
    profile: name,
    startUrl: merged.sso_start_url as string,
    ssoRegion: merged.sso_region as string,
    accountId: merged.sso_account_id as string,
    roleName: merged.sso_role_name as string,
    ...(sessionName !== undefined ? { sessionName } : {}),
    ...(scopes !== undefined ? { registrationScopes: scopes } : {}),
  };
}

/**
 * SharedCredentialProvider / ConfigProvider: `aws_access_key_id` present (even empty) means keys;
 * a missing secret is "Partial credentials found". The token is `aws_security_token` when present
 * (botocore looks at it first), else `aws_session_token`.
 */
function staticSource(section: ProfileSettings | undefined, name: string, file: string): StaticSource | undefined {
  if (!hasSetting(section, "aws_access_key_id")) return undefined;
  if (!hasSetting(section, "aws_secret_access_key")) throw partialCredentials(`the profile "${name}" in ${file}`, "aws_secret_access_key");
  const sessionToken = setting(section, "aws_security_token") ?? setting(section, "aws_session_token");
  return {
    kind: "static",
    profile: name,
    file,
    accessKeyId: setting(section, "aws_access_key_id")!,
    secretAccessKey: setting(section, "aws_secret_access_key")!,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
}

/** AssumeRoleProvider: a role profile and the chain of profiles its credentials come from. */
class RoleChain {
  /** botocore's `_visited_profiles`: the top profile, then each source_profile followed. */
  private readonly visited: string[];

  constructor(
    private readonly config: SharedConfig,
    private readonly env: Env,
    top: string,
  ) {
    this.visited = [top];
  }

  /** `_load_creds_via_assume_role`. */
  assumeRole(name: string): AssumeRoleSource {
    const profile = this.config.profiles.get(name) ?? emptySettings();
    const sourceProfile = setting(profile, "source_profile");
    const credentialSource = setting(profile, "credential_source");
    if (credentialSource !== undefined && sourceProfile !== undefined) {
      throw new HelperError(
        "profile-config",
        `the AWS profile "${name}" sets both source_profile and credential_source`,
        "Keep one of them",
      );
    }
    if (credentialSource === undefined && sourceProfile === undefined) {
      throw new HelperError(
        "credentials",
        `Partial credentials found in the AWS profile "${name}": it has role_arn but neither source_profile nor credential_source`,
        "Add source_profile (a profile with keys) or credential_source",
      );
    }
    let source: CredentialSource | CanonicalSource;
    if (credentialSource !== undefined) {
      source = this.canonicalSource(name, credentialSource);
    } else {
      this.validateSourceProfile(name, sourceProfile as string);
      this.visited.push(sourceProfile as string);
      source = this.fromProfile(sourceProfile as string);
    }
    const duration = hasSetting(profile, "duration_seconds") ? pyInt(profile.duration_seconds as string) : undefined;
    const externalId = setting(profile, "external_id");
    const sessionName = setting(profile, "role_session_name");
    const mfaSerial = setting(profile, "mfa_serial");
    return {
      kind: "assume-role",
      profile: name,
      roleArn: setting(profile, "role_arn") as string,
      ...(externalId !== undefined ? { externalId } : {}),
      // An empty name makes botocore generate one, as for no name.
      ...(sessionName ? { roleSessionName: sessionName } : {}),
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
      ...(mfaSerial !== undefined ? { mfaSerial } : {}),
      ...region(profile),
      settings: profile,
      source,
    };
  }

  /** `_validate_source_profile`. */
  private validateSourceProfile(parent: string, source: string): void {
    if (!this.config.profiles.has(source)) {
      throw new HelperError(
        "unknown-profile",
        `the source_profile "${source}" of the AWS profile "${parent}" names no profile in ${filesOf(this.config)}`,
        knownProfilesHint(this.config),
      );
    }
    if (this.visited.indexOf(source) < 0) return;
    // A profile may name itself to take its own keys; any other repeat is a loop.
    if (source !== parent || !hasStaticCredentials(this.config.profiles.get(source))) {
      throw new HelperError(
        "profile-config",
        `the source_profile chain of the AWS profile "${this.visited[0]}" loops (${[...this.visited, source].map((p) => `"${p}"`).join(" → ")})`,
        "Make the last profile of the chain hold keys or use credential_source",
      );
    }
  }

  /** `_resolve_credentials_from_profile`: keys or the profile's own sources, else another role. */
  private fromProfile(name: string): CredentialSource {
    const profile = this.config.profiles.get(name);
    if (hasStaticCredentials(profile) || !hasAssumeRoleVars(profile)) {
      const source = profileSource(this.config, this.env, name, true);
      if (!source) {
        throw new HelperError(
          "profile-config",
          `the source profile "${name}" has no credentials`,
          `Give the profile "${name}" keys, SSO, a credential_process or a role`,
        );
      }
      return source;
    }
    return this.assumeRole(name);
  }

  /** CanonicalNameCredentialSourcer: the name must match exactly; its provider loads eagerly. */
  private canonicalSource(name: string, credentialSource: string): CanonicalSource {
    const canonical = CANONICAL_NAMES.find((n) => n === credentialSource);
    if (!canonical) {
      throw new HelperError(
        "profile-config",
        `the credential_source "${credentialSource}" of the AWS profile "${name}" is not valid`,
        `Use one of ${CANONICAL_NAMES.join(", ")}`,
      );
    }
    const none = (where: string): HelperError =>
      new HelperError(
        "no-credentials",
        `the AWS profile "${name}" takes its credentials from ${canonical}, but ${where}`,
        `Set them or change credential_source`,
      );
    if (canonical === "Environment") {
      const env = envSource(this.env);
      if (!env) throw none(`${ENV.accessKeyId} is not set`);
      return { kind: "canonical", name: canonical, env };
    }
    if (canonical === "EcsContainer") {
      if (this.env[ENV.containerRelativeUri] === undefined && this.env[ENV.containerFullUri] === undefined) {
        throw none(`neither ${ENV.containerRelativeUri} nor ${ENV.containerFullUri} is set`);
      }
      return { kind: "canonical", name: canonical };
    }
    if ((this.env[ENV.ec2MetadataDisabled] ?? "false").toLowerCase() === "true") {
      throw none(`${ENV.ec2MetadataDisabled} is true`);
    }
    return { kind: "canonical", name: canonical };
  }
}

function filesOf(config: SharedConfig): string {
  return `${config.configFile || "(no config file)"} or ${config.credentialsFile || "(no credentials file)"}`;
}

function knownProfilesHint(config: SharedConfig): string {
  const known = [...config.profiles.keys()].sort();
  return known.length > 0 ? `Known profiles: ${known.map((p) => JSON.stringify(p)).join(", ")}` : "No profiles are configured";
}

/** ProfileNotFound, with the hint for `[name]` in the config file where `[profile name]` was meant. */
function unknownProfile(name: string, config: SharedConfig): HelperError {
  const misnamed = name !== "default" && (config.configSections ?? []).includes(name);
  return new HelperError(
    "unknown-profile",
    `the AWS profile "${name}" is not in ${filesOf(config)}`,
    misnamed ? `In ${config.configFile} the section must be [profile ${name}], not [${name}]` : known(config, name),
  );
}

function known(config: SharedConfig, name: string): string {
  return config.profiles.size > 0 ? knownProfilesHint(config) : `No profiles are configured; run "aws configure --profile ${name}"`;
}
