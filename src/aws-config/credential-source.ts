/**
 * Which credential source botocore would use for a profile, decided from our one reading of the
 * shared files and the environment, with no network. The reader (src/aws-config/)
 * produces a {@link CredentialSource}; the resolver (src/credentials/) executes it — fetching over
 * the network only where the source needs it (STS, SSO, container, IMDS, a process).
 *
 * Order and meaning follow botocore's `create_credential_resolver`: environment (skipped when a
 * profile was given explicitly with --profile), assume-role, then the profile's own providers
 * (web identity, SSO, shared credentials file, credential_process, config file keys), then
 * container and instance metadata.
 *
 * This file is the interface between the reader and the resolver: fields may be added, not removed.
 */

/** Static keys as botocore holds them; `sessionToken` also comes from `aws_security_token`. */
export interface StaticKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or AWS_SECURITY_TOKEN). */
export interface EnvSource extends StaticKeys {
  readonly kind: "env";
  /** AWS_CREDENTIAL_EXPIRATION as written; the resolver parses and checks it. */
  readonly expiration?: string;
}

/** Keys in a profile of the credentials file or the config file. */
export interface StaticSource extends StaticKeys {
  readonly kind: "static";
  readonly profile: string;
  /** The file the keys came from (named in messages). */
  readonly file: string;
}

/** `credential_source` of a role profile: botocore's CanonicalNameCredentialSourcer names. */
export interface CanonicalSource {
  readonly kind: "canonical";
  readonly name: "Environment" | "Ec2InstanceMetadata" | "EcsContainer";
  /** For "Environment": the environment keys (undefined when the environment has none). */
  readonly env?: EnvSource;
}

/** A profile with `role_arn` and `source_profile` or `credential_source`. */
export interface AssumeRoleSource {
  readonly kind: "assume-role";
  readonly profile: string;
  readonly roleArn: string;
  readonly externalId?: string;
  readonly roleSessionName?: string;
  /** Only when Python's int() accepts the configured value (botocore). */
  readonly durationSeconds?: number;
  readonly mfaSerial?: string;
  /** The profile's `region` (STS goes there when set, else to the CodeCommit host's region). */
  readonly region?: string;
  /** `sts_regional_endpoints`, `endpoint_url` etc. as the profile sets them (raw values). */
  readonly settings: Readonly<Record<string, string>>;
  /** Where the credentials that call AssumeRole come from. */
  readonly source: CredentialSource | CanonicalSource;
}

/** `web_identity_token_file` + `role_arn` in the profile, or AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN. */
export interface WebIdentitySource {
  readonly kind: "web-identity";
  readonly profile?: string;
  readonly roleArn: string;
  readonly tokenFile: string;
  readonly roleSessionName?: string;
  readonly region?: string;
}

/** `sso_session` (with its [sso-session NAME] section) or legacy `sso_start_url` profiles. */
export interface SsoSource {
  readonly kind: "sso";
  readonly profile: string;
  readonly startUrl: string;
  readonly ssoRegion: string;
  readonly accountId: string;
  readonly roleName: string;
  /** The `sso_session` name; absent for the legacy form. */
  readonly sessionName?: string;
  readonly registrationScopes?: string;
}

/** `credential_process`: the command line exactly as configured (split as botocore splits it). */
export interface ProcessSource {
  readonly kind: "process";
  readonly profile: string;
  readonly command: string;
}

/** `login_session` (the AWS CLI's `aws login`). */
export interface LoginSource {
  readonly kind: "login-session";
  readonly profile: string;
  readonly loginSession: string;
  readonly region?: string;
}

/** Nothing in the environment or the files: the container endpoint, then instance metadata. */
export interface ContainerOrImdsSource {
  readonly kind: "container-or-imds";
}

export type CredentialSource =
  | EnvSource
  | StaticSource
  | AssumeRoleSource
  | WebIdentitySource
  | SsoSource
  | ProcessSource
  | LoginSource
  | ContainerOrImdsSource;
