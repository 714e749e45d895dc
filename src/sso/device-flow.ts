/**
 * The OAuth 2.0 device authorization grant, as `aws sso login --use-device-code` runs it (botocore
 * `SSOTokenFetcher._poll_for_token`): StartDeviceAuthorization, one immediate CreateToken attempt
 * (a pre-authorized client needs no prompt), then show the URL and code and poll every `interval`
 * seconds (default 5), 5 seconds slower after each `slow_down` (RFC 8628, section 3.5), until the user
 * approves, denies, or the code expires.
 */
import { DEVICE_EXPIRY_GRACE_MS, DEVICE_POLL_INTERVAL_S, DEVICE_SLOW_DOWN_S } from "../aws-client/limits.js";
import { HelperError } from "../errors.js";
import { clockTime, minutesUntil, type FlowIo } from "./flow-io.js";
import type { Oidc, Token } from "./oidc.js";
import type { RegistrationFile } from "./token-cache.js";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** Runs the device flow for `startUrl`; returns the token, or throws a HelperError (denied, expired). */
export async function deviceFlow(
  startUrl: string,
  registration: RegistrationFile,
  oidc: Oidc,
  io: FlowIo,
  profile: string,
): Promise<Token> {
  const auth = await oidc.startDeviceAuthorization({ clientId: registration.clientId, clientSecret: registration.clientSecret, startUrl });
  const expiresAt = new Date(io.now().getTime() + auth.expiresIn * 1000);
  let interval = auth.interval ?? DEVICE_POLL_INTERVAL_S;
  const attempt = async (): Promise<Token | undefined> => {
    try {
      return await oidc.createToken({
        grantType: DEVICE_GRANT,
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        deviceCode: auth.deviceCode,
      });
    } catch (err) {
      switch ((err as { name?: string }).name) {
        case "AuthorizationPendingException":
          return undefined;
        case "SlowDownException":
          interval += DEVICE_SLOW_DOWN_S;
          return undefined;
        case "ExpiredTokenException":
          throw codeExpired(profile, err);
        case "AccessDeniedException":
          throw denied(profile, err);
        default:
          throw err;
      }
    }
  };

  const first = await attempt();
  if (first) return first;

  io.show(
    `To sign in, open this URL in a browser on any device:\n\n  ${auth.verificationUri}\n\nand enter the code:\n\n  ${auth.userCode}\n\n` +
      `(or open ${auth.verificationUriComplete} , which fills the code in)\n`,
  );
  if (io.openBrowser && !(await io.openBrowser(auth.verificationUriComplete)))
    io.show("Could not open a browser here; open the URL above yourself.\n");
  io.show(
    `Waiting for approval; the code expires in ${minutesUntil(io.now(), expiresAt)} min (at ${clockTime(expiresAt)}). Press Ctrl-C to cancel.\n`,
  );

  for (;;) {
    const token = await attempt();
    if (token) return token;
    if (io.now().getTime() > expiresAt.getTime() + DEVICE_EXPIRY_GRACE_MS) throw codeExpired(profile, undefined);
    await io.sleep(interval * 1000);
  }
}

/** The user code or authorization code expired before it was used. */
export function codeExpired(profile: string, cause: unknown): HelperError {
  return new HelperError(
    "sso-login",
    "the sign-in was not approved before its code expired",
    `Run "git-credential-codecommit login --profile ${profile}" again and approve it in the browser`,
    { cause },
  );
}

/** The user (or an administrator's policy) refused the sign-in. */
export function denied(profile: string, cause: unknown): HelperError {
  return new HelperError(
    "sso-login",
    `the sign-in for profile ${profile} was denied`,
    "Approve the request in the browser, or ask your IAM Identity Center administrator for access",
    { cause },
  );
}
