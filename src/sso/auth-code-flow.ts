/**
 * The authorization-code grant with PKCE (RFC 7636) that `aws sso login` uses by default for an
 * `sso_session` (botocore `SSOTokenFetcherAuth`): a 64-character verifier, its S256 challenge, a
 * random state, the authorize URL on the OIDC endpoint, the code received on a 127.0.0.1 redirect,
 * and CreateToken with the verifier.
 */
import { BROWSER_CALLBACK_TIMEOUT_MS } from "../aws-client/limits.js";
import { createHash, randomInt, randomUUID } from "node:crypto";
import { HelperError } from "../errors.js";
import { codeExpired, denied } from "./device-flow.js";
import { clockTime, type FlowIo } from "./flow-io.js";
import type { Oidc, Token } from "./oidc.js";
import type { CallbackResult, RedirectListener } from "./redirect-listener.js";
import { DEFAULT_AUTH_CODE_SCOPE } from "./registration.js";
import type { RegistrationFile } from "./token-cache.js";

/** RFC 7636 unreserved characters, from which the AWS CLI draws its verifier. */
const VERIFIER_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

export interface Pkce {
  readonly verifier: string;
  /** base64url(sha256(verifier)) without padding. */
  readonly challenge: string;
}

/** A fresh verifier and its challenge. */
export function createPkce(): Pkce {
  let verifier = "";
  for (let i = 0; i < 64; i++) verifier += VERIFIER_ALPHABET[randomInt(VERIFIER_ALPHABET.length)];
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/**
 * The authorize URL, parameters in the AWS CLI's order and encoding (botocore
 * `percent_encode_sequence`: only `-_.~` left unescaped, spaces as %20), the challenge last.
 */
export function authorizeUrl(
  endpoint: string,
  p: { clientId: string; redirectUri: string; state: string; scopes: readonly string[] | undefined; challenge: string },
): string {
  const params: [string, string][] = [
    ["response_type", "code"],
    ["client_id", p.clientId],
    ["redirect_uri", p.redirectUri],
    ["state", p.state],
    ["code_challenge_method", "S256"],
    ["scopes", p.scopes && p.scopes.length > 0 ? p.scopes.join(" ") : DEFAULT_AUTH_CODE_SCOPE],
  ];
  return `${endpoint}/authorize?${params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&")}&code_challenge=${p.challenge}`;
}

function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface AuthCodeFlowOptions {
  readonly registration: RegistrationFile;
  readonly scopes: readonly string[] | undefined;
  readonly listener: RedirectListener;
  readonly profile: string;
  /** Bounds the wait for the browser; {@link BROWSER_CALLBACK_TIMEOUT_MS} when absent. */
  readonly timeoutMs?: number;
  /** Told the authorization code, so no trace line shows it. */
  readonly secret?: (value: string) => void;
}

/** Runs the flow; returns the token, or throws a HelperError (denied, expired, state mismatch, timeout). */
export async function authCodeFlow(oidc: Oidc, io: FlowIo, o: AuthCodeFlowOptions): Promise<Token> {
  const pkce = createPkce();
  const state = randomUUID();
  const url = authorizeUrl(oidc.endpoint, {
    clientId: o.registration.clientId,
    redirectUri: o.listener.redirectUri,
    state,
    scopes: o.scopes,
    challenge: pkce.challenge,
  });
  const timeoutMs = o.timeoutMs ?? BROWSER_CALLBACK_TIMEOUT_MS;
  const deadline = new Date(io.now().getTime() + timeoutMs);

  io.show(`To sign in, open this URL in a browser on this computer:\n\n  ${url}\n\n`);
  if (io.openBrowser) {
    io.show(
      (await io.openBrowser(url)) ? "A browser was opened on it.\n" : "Could not open a browser here; open the URL above yourself.\n",
    );
  }
  io.show(
    `Waiting for the browser until ${clockTime(deadline)}. Cannot use a browser on this computer? Press Ctrl-C and run again with --use-device-code.\n`,
  );

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  let callback: CallbackResult | "timeout";
  try {
    callback = await Promise.race([o.listener.result, timedOut]);
  } finally {
    clearTimeout(timer);
    o.listener.close();
  }
  if (callback === "timeout") throw codeExpired(o.profile, undefined);
  if ("error" in callback) {
    throw callback.error.startsWith("access_denied")
      ? denied(o.profile, new Error(callback.error))
      : new HelperError(
          "sso-login",
          `the sign-in failed in the browser: ${callback.error}`,
          `Run "git-credential-codecommit login --profile ${o.profile}" again`,
        );
  }
  o.secret?.(callback.code);
  if (callback.state !== state) {
    throw new HelperError(
      "sso-login",
      "the browser came back with a different sign-in request (state mismatch)",
      `Run "git-credential-codecommit login --profile ${o.profile}" again, and use only the newest URL`,
    );
  }
  try {
    return await oidc.createToken({
      grantType: "authorization_code",
      clientId: o.registration.clientId,
      clientSecret: o.registration.clientSecret,
      redirectUri: o.listener.redirectUri,
      codeVerifier: pkce.verifier,
      code: callback.code,
    });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "ExpiredTokenException") throw codeExpired(o.profile, err);
    if (name === "AccessDeniedException") throw denied(o.profile, err);
    throw err;
  }
}
