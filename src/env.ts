/**
 * Names of every environment variable this program reads or sets, in one place, so a reader finds
 * what the program depends on without a search. The AWS SDK reads most AWS_* variables itself from
 * `process.env`; the ones listed here are those our own code consults to decide something.
 */
export const ENV = {
  /** AWS CLI / SDK: shared config file (default ~/.aws/config). */
  configFile: "AWS_CONFIG_FILE",
  /** AWS CLI / SDK: shared credentials file (default ~/.aws/credentials). */
  credentialsFile: "AWS_SHARED_CREDENTIALS_FILE",
  /** AWS CLI / SDK: profile when no --profile is given. */
  profile: "AWS_PROFILE",
  /** AWS CLI v1 legacy spelling of AWS_PROFILE, still honoured by botocore. */
  defaultProfile: "AWS_DEFAULT_PROFILE",
  /** Environment credentials: with neither --profile nor AWS_PROFILE, the chain stops here. */
  accessKeyId: "AWS_ACCESS_KEY_ID",
  secretAccessKey: "AWS_SECRET_ACCESS_KEY",
  /** Service-specific and global endpoint overrides (SDK and CLI); named in error messages. */
  stsEndpoint: "AWS_ENDPOINT_URL_STS",
  endpoint: "AWS_ENDPOINT_URL",
  region: "AWS_REGION",
  defaultRegion: "AWS_DEFAULT_REGION",
  /** git: 0 forbids prompting on the terminal (gitcredentials(7)); we honour it for the MFA prompt. */
  gitTerminalPrompt: "GIT_TERMINAL_PROMPT",
  /** git: the program that asks for a password in a window (set by IDEs and GUI gits); the MFA code is asked through it first. */
  gitAskpass: "GIT_ASKPASS",
  /** OpenSSH's askpass program, git's last choice after GIT_ASKPASS and core.askPass (git's prompt.c). */
  sshAskpass: "SSH_ASKPASS",
  /** The SDK warns on stderr about old Node versions unless this is "true"; git would show it. */
  sdkNodeVersionWarningDisabled: "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
  /**
   * Ours: the role-session cache directory instead of ~/.aws/cli/cache (README, "Role sessions"). The AWS CLI
   * itself has no such setting, so sessions are shared with it only at the default place.
   */
  cliCacheDir: "AWS_CLI_CACHE_DIR",
  home: "HOME",
  userProfile: "USERPROFILE",
  /** Windows: the home's drive and path, Python's ntpath.expanduser's choice after USERPROFILE. */
  homeDrive: "HOMEDRIVE",
  homePath: "HOMEPATH",
  // setup, clone and doctor:
  /** git: config entries given in the environment, `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>` (git-config(1)). */
  gitConfigCount: "GIT_CONFIG_COUNT",
  gitConfigKeyPrefix: "GIT_CONFIG_KEY_",
  gitConfigValuePrefix: "GIT_CONFIG_VALUE_",
  /** git: what `git -c` passes to its children, read after GIT_CONFIG_COUNT (git-config(1)). */
  gitConfigParameters: "GIT_CONFIG_PARAMETERS",
  /** Where git (and doctor) look for `git-credential-codecommit`. */
  path: "PATH",
  /** git's second credential-store file is $XDG_CONFIG_HOME/git/credentials (git-credential-store(1)). */
  xdgConfigHome: "XDG_CONFIG_HOME",
  // The git-remote-codecommit mode (src/remote/).
  /** Ours: "1" or "true" traces the remote helper (git passes a remote helper no options). */
  remoteDebug: "GIT_CREDENTIAL_CODECOMMIT_DEBUG",
  /** AWS CLI / SDK: "true" selects FIPS endpoints; when set it overrides the profile's use_fips_endpoint. */
  useFipsEndpoint: "AWS_USE_FIPS_ENDPOINT",
  /** The Python git-remote-codecommit's host override (a VPC endpoint, say), honoured the same way. */
  codeCommitEndpoint: "CODE_COMMIT_ENDPOINT",
  // login and SSO:
  /** SDK / CLI endpoint overrides for IAM Identity Center's OIDC service and SSO portal. */
  ssoOidcEndpoint: "AWS_ENDPOINT_URL_SSO_OIDC",
  ssoEndpoint: "AWS_ENDPOINT_URL_SSO",
  /** SDK / CLI endpoint override for AWS sign-in (refreshing `aws login` sessions). */
  signinEndpoint: "AWS_ENDPOINT_URL_SIGNIN",
  /** botocore: "true" selects dual-stack (IPv6) endpoints; when set it overrides the profile's use_dualstack_endpoint. */
  useDualstackEndpoint: "AWS_USE_DUALSTACK_ENDPOINT",
  /** botocore: "legacy" sends STS calls of the older regions to the global endpoint; overrides sts_regional_endpoints. */
  stsRegionalEndpoints: "AWS_STS_REGIONAL_ENDPOINTS",
  /** botocore: "true" ignores every configured endpoint URL. */
  ignoreConfiguredEndpoints: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  /** botocore: where `aws login` keeps login_session tokens (default ~/.aws/login/cache). */
  loginCacheDir: "AWS_LOGIN_CACHE_DIRECTORY",
  /** Python's webbrowser module: the command that opens a URL, honoured by `login` as by `aws sso login`. */
  browser: "BROWSER",
  /** A graphical session on Linux and other X11/Wayland systems: without one no browser can open. */
  display: "DISPLAY",
  waylandDisplay: "WAYLAND_DISPLAY",
  /** Set by sshd: the browser would open on the remote machine, not in front of the user. */
  sshConnection: "SSH_CONNECTION",
  sshTty: "SSH_TTY",
  // What botocore's credential chain reads to decide the source (credentials.py).
  /** Older spelling of AWS_SESSION_TOKEN; botocore prefers it when both are set. */
  securityToken: "AWS_SECURITY_TOKEN",
  sessionToken: "AWS_SESSION_TOKEN",
  /** Expiry of environment credentials (the resolver refuses expired ones). */
  credentialExpiration: "AWS_CREDENTIAL_EXPIRATION",
  webIdentityTokenFile: "AWS_WEB_IDENTITY_TOKEN_FILE",
  roleArn: "AWS_ROLE_ARN",
  roleSessionName: "AWS_ROLE_SESSION_NAME",
  containerRelativeUri: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  containerFullUri: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  ec2MetadataDisabled: "AWS_EC2_METADATA_DISABLED",
  // Credential resolution and network settings (botocore's names and meanings).
  containerAuthToken: "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  containerAuthTokenFile: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  /** The CA bundle for every AWS request; wins over the profile's ca_bundle. */
  caBundle: "AWS_CA_BUNDLE",
  /** Set under CGI: Python's getproxies then ignores an upper-case HTTP_PROXY (CVE-2016-1000110). */
  cgiRequestMethod: "REQUEST_METHOD",
} as const;

/** The environment as handed to the core: a plain read-only map, never `process.env` itself. */
export type Env = Readonly<Record<string, string | undefined>>;
