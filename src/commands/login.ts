/**
 * `login`: signs in to IAM Identity Center for an SSO profile and leaves the token in
 * ~/.aws/sso/cache exactly as `aws sso login` would, so git (through `get`), the AWS CLI and the
 * SDKs all use it. The authorization-code flow with PKCE by default; the device-code flow with
 * --use-device-code, for a legacy profile, or when no browser can be opened here. Nothing is
 * written until the token arrives, so an interrupted or failed login leaves the cache as it was.
 */
import { platform } from "node:os";
import { clientContext } from "../aws-client/aws-client-config.js";
import { networkSettingsFailure } from "../aws-client/explain-error.js";
import { setting } from "../aws-config/ini.js";
import type { ProfileSelection } from "../aws-config/profile-name.js";
import { loadSharedConfig } from "../credentials/config-files.js";
import type { Env } from "../env.js";
import { HelperError } from "../errors.js";
import { authCodeFlow } from "../sso/auth-code-flow.js";
import { browserCommand, runBrowser } from "../sso/browser.js";
import { deviceFlow } from "../sso/device-flow.js";
import { firstLine, isNetworkError, unreachable } from "../sso/errors.js";
import type { FlowIo } from "../sso/flow-io.js";
import type { Oidc, OidcOptions, Token } from "../sso/oidc.js";
import { startRedirectListener } from "../sso/redirect-listener.js";
import { obtainRegistration, type FlowKind } from "../sso/registration.js";
import { sessionOf, type SsoSession } from "../sso/session.js";
import { ssoProfile } from "../sso/sso-profile.js";
import {
  formatTimestamp,
  ssoCacheDir,
  tokenCacheKey,
  writeRegistrationFile,
  writeTokenFile,
  type RegistrationFile,
} from "../sso/token-cache.js";
import type { Tracer } from "../trace.js";
import type { Command } from "./command.js";

/** `login` from the command line. */
export const loginCommand: Command = (args, io, trace, selection) => {
  const sw = args.switches ?? [];
  return login(
    { selection, noBrowser: sw.includes("--no-browser"), useDeviceCode: sw.includes("--use-device-code") },
    { env: io.env, now: io.now, trace, stdout: io.stdout, stderr: io.stderr },
  );
};

export interface LoginOptions {
  /** The profile of this run, as cli.ts selected it: the one get would use. */
  readonly selection: ProfileSelection;
  /** Print the URL only (the AWS CLI's --no-browser). */
  readonly noBrowser: boolean;
  readonly useDeviceCode: boolean;
}

export interface LoginContext {
  readonly env: Env;
  readonly now: () => Date;
  readonly trace: Tracer;
  readonly stdout: (text: string) => void;
  /** Progress and instructions: the terminal. */
  readonly stderr: (text: string) => void;
  /** The operating system (decides how to open a browser); this one when absent. */
  readonly platform?: NodeJS.Platform;
  /** Tests replace these; the real ones otherwise. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly createOidc?: (options: OidcOptions) => Promise<Oidc>;
}

/** Runs the sign-in; returns the exit code or throws a HelperError. */
export async function login(options: LoginOptions, ctx: LoginContext): Promise<number> {
  const { env, trace } = ctx;
  const profile = options.selection.profile;
  const config = loadSharedConfig(env);
  const settings = ssoProfile(profile, config);
  const session = sessionOf(settings);
  const browser = options.noBrowser ? undefined : browserCommand(env, ctx.platform ?? platform());
  const kind: FlowKind =
    session.sessionName === undefined || options.useDeviceCode || (!options.noBrowser && !browser) ? "device" : "auth-code";
  trace("login", { profile, startUrl: session.startUrl, region: session.region, session: session.sessionName, flow: kind });
  if (kind === "device" && !options.useDeviceCode) {
    ctx.stderr(
      session.sessionName === undefined
        ? `Profile ${profile} uses the legacy sso_start_url setting: signing in with a device code.\n`
        : "No browser can be opened here (no display, or an SSH session): signing in with a device code.\n",
    );
  }

  const create = ctx.createOidc ?? (await import("../sso/oidc.js")).createOidc;
  // The proxy, CA and endpoints as `get` reads them, the profile's ca_bundle included; no run
  // budget (the person takes minutes), so each OIDC call is bounded on its own (src/aws-client/limits.ts).
  const endpoints = { env, profile: config.profiles.get(profile), services: config.services };
  const client = clientContext(
    env,
    trace,
    { name: profile, caBundle: setting(config.profiles.get(profile), "ca_bundle") },
    undefined,
    endpoints,
  );
  const oidc = await create({ region: session.region, client });
  const io: FlowIo = {
    now: ctx.now,
    sleep: ctx.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    show: ctx.stderr,
    ...(browser ? { openBrowser: (url: string) => runBrowser(browser(url), env) } : {}),
  };
  const dir = ssoCacheDir(env);
  try {
    const { registration, key, isNew } = await obtainRegistration(session, kind, oidc, dir, ctx.now());
    trace("client registration", { clientId: registration.clientId, new: isNew, expiresAt: registration.expiresAt });
    let token: Token;
    if (kind === "device") {
      token = await deviceFlow(session.startUrl, registration, oidc, io, profile);
    } else {
      const listener = await startRedirectListener().catch((err: unknown) => {
        throw new HelperError(
          "sso-login",
          `could not listen on 127.0.0.1 for the browser's answer: ${firstLine(err)}`,
          `Run "git-credential-codecommit login --profile ${profile} --use-device-code"`,
          { cause: err },
        );
      });
      token = await authCodeFlow(oidc, io, { registration, scopes: session.registrationScopes, listener, profile, secret: trace.secret });
    }
    // The registration first: the token file names its client, which must then be on disk too.
    if (isNew) writeRegistrationFile(dir, key, registration);
    const file = tokenFile(session, registration, token, ctx.now());
    writeTokenFile(dir, tokenCacheKey(session), file);
    ctx.stdout(`Logged in to ${session.startUrl} for profile ${profile}; the SSO session is valid until ${file.expiresAt}.\n`);
    return 0;
  } catch (err) {
    if (err instanceof HelperError) throw err;
    // A certificate not trusted, a proxy that cannot be used: worded as for every command.
    const settingsFailure = networkSettingsFailure(err, {
      name: "IAM Identity Center (OIDC)",
      profile,
      region: session.region,
      network: client.network,
      endpoint: new URL(oidc.endpoint),
    });
    if (settingsFailure) throw settingsFailure;
    if (isNetworkError(err)) throw unreachable("IAM Identity Center (OIDC)", oidc.endpoint, err);
    const name = (err as { name?: string }).name ?? "Error";
    throw new HelperError(
      "sso-login",
      `IAM Identity Center refused the sign-in for profile ${profile}: ${name}: ${firstLine(err)}`,
      "Check sso_start_url and sso_region of the profile, then try again",
      { cause: err },
    );
  } finally {
    oidc.destroy();
  }
}

/** The token file as botocore's fetchers build it: the registration cached alongside the token. */
function tokenFile(session: SsoSession, registration: RegistrationFile, token: Token, now: Date) {
  return {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: token.accessToken,
    expiresAt: formatTimestamp(new Date(now.getTime() + token.expiresIn * 1000)),
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    registrationExpiresAt: registration.expiresAt,
    ...(token.refreshToken ? { refreshToken: token.refreshToken } : {}),
  };
}
