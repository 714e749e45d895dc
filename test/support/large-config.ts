/**
 * `~/.aws/config` files of a large organisation, as `aws configure sso` writes one profile per
 * account and role, with the profile a run selects (and its chain) placed anywhere, and one of the
 * things that make a file unusual or refused placed anywhere too. For the tests that hold the
 * on-demand reading of a `get` (src/aws-config/ini-reading.ts) to the whole reading and to botocore.
 */

/** What one generated file holds besides its SSO profiles. */
export const QUIRKS = [
  "none",
  "repeated key",
  "repeated key, other case",
  "repeated section",
  "repeated DEFAULT",
  "line without =",
  "setting before the first header",
  "continuation line",
  "nested block",
  "nested block with a bad line",
  "quoted header",
  "[profiles NAME] header",
  "[DEFAULT] section",
  "CRLF line ends",
  "comments that look like headers",
  "header with trailing spaces",
  "[profile default] and [default]",
  "indented comment",
  "empty value",
] as const;
export type Quirk = (typeof QUIRKS)[number];

/** How the selected profile `dev` gets its credentials. */
export type Chain = "static" | "role" | "sso";

export interface LargeConfig {
  /** SSO profiles around the chain. */
  readonly profiles: number;
  /** Where `dev` stands among them, 0..1 (0: first, 1: last). */
  readonly selectedAt: number;
  /** Where the chain's other sections and the quirk stand, 0..1. */
  readonly othersAt: number;
  readonly quirkAt: number;
  readonly chain: Chain;
  readonly quirk: Quirk;
}

const KEYS = "aws_access_key_id = AKIALARGECONFIG00001\naws_secret_access_key = large-config-secret\n";

function ssoProfile(i: number): string {
  const account = String(100_000_000_000 + i);
  return `[profile ${account}-Developer]\nsso_session = corp\nsso_account_id = ${account}\nsso_role_name = Developer\nregion = us-east-1\n\n`;
}

/** The file's text. */
export function largeConfig(c: LargeConfig): string {
  const sections: string[] = [];
  for (let i = 0; i < c.profiles; i++) sections.push(ssoProfile(i));
  const place = (at: number, text: string): void => {
    sections.splice(Math.round(at * sections.length), 0, text);
  };
  const dev =
    c.chain === "static"
      ? `[profile dev]\n${KEYS}region = eu-west-1\n\n`
      : c.chain === "role"
        ? `[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\nregion = eu-west-1\n\n`
        : `[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = eu-west-1\n\n`;
  place(
    c.othersAt,
    c.chain === "role"
      ? `[profile base]\n${KEYS}\n`
      : "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n",
  );
  if (c.chain === "role")
    place(1 - c.othersAt, "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n");
  place(c.selectedAt, dev);
  const quirk = quirkText(c.quirk, c.profiles);
  if (quirk !== undefined) place(c.quirkAt, quirk);
  let text = sections.join("");
  if (c.quirk === "setting before the first header") text = `region = us-west-2\n${text}`;
  if (c.quirk === "header with trailing spaces") text = text.replace("[profile dev]\n", "[profile dev] \t\n");
  if (c.quirk === "CRLF line ends") text = text.replace(/\n/g, "\r\n");
  return text;
}

/** A section (or lines) to place among the others, for the quirks that are one. */
function quirkText(quirk: Quirk, profiles: number): string | undefined {
  switch (quirk) {
    case "repeated key":
      return "[profile twice]\nregion = us-east-1\noutput = json\nregion = us-east-2\n\n";
    case "repeated key, other case":
      return "[profile twice]\nregion = us-east-1\nRegion = us-east-2\n\n";
    case "repeated section":
      return profiles > 0 ? ssoProfile(0) : "[profile dev]\nregion = us-east-2\n\n";
    case "repeated DEFAULT":
      return "[DEFAULT]\noutput = json\n\n[profile d1]\n\n[DEFAULT]\ncli_pager =\n\n";
    case "line without =":
      return "[profile broken]\nregion = us-east-1\noops\n\n";
    case "continuation line":
      return "[profile long]\nrole_session_name = a\n  b\nregion = us-east-1\n\n";
    case "nested block":
      return "[profile s3]\ns3 =\n  max_concurrent_requests = 20\n  multipart_threshold = 64MB\nregion = us-east-1\n\n";
    case "nested block with a bad line":
      return "[profile s3]\ns3 =\n  max_concurrent_requests = 20\n  nonsense\n\n";
    case "quoted header":
      return '[profile "my team"]\nregion = us-east-1\n\n';
    case "[profiles NAME] header":
      return "[profiles dev]\nregion = ap-south-1\naws_access_key_id = AKIAFROMPROFILES0001\naws_secret_access_key = s\n\n";
    case "[DEFAULT] section":
      return "[DEFAULT]\nregion = ca-central-1\ncli_pager =\n\n";
    case "comments that look like headers":
      return "# [profile dev]\n; [sso-session corp]\n#region = x\n\n";
    case "[profile default] and [default]":
      return "[default]\nregion = us-west-1\n\n[profile default]\nregion = us-west-2\n\n";
    case "indented comment":
      return "[profile commented]\n  # a note\nregion = us-east-1\n\n";
    case "empty value":
      return "[profile empty]\nregion =\noutput:\n\n";
    default:
      return undefined;
  }
}
