/**
 * A local IAM Identity Center for tests: the OIDC service (RegisterClient, StartDeviceAuthorization,
 * CreateToken for the device, authorization-code and refresh grants), the portal's browser side
 * (`/authorize`, a sign-in page with an approve/deny form) and the SSO portal API
 * (GetRoleCredentials), and AWS sign-in's token refresh for `aws login` sessions. Plain HTTP on 127.0.0.1, reached through `AWS_ENDPOINT_URL_SSO_OIDC` and
 * `AWS_ENDPOINT_URL_SSO`. It checks what the real service checks that matters here: the client's
 * secret, the PKCE challenge against the verifier, the redirect URI, the refresh token.
 *
 * Errors are sent as the service sends them (restJson1): status 400/401, `x-amzn-errortype`, and
 * the OAuth `error` in the body.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpServer } from "./loopback.js";

/** What a device-code poll answers, in turn; the last one repeats. */
export type DeviceStep = "authorization_pending" | "slow_down" | "expired_token" | "access_denied" | "approve";

export interface OidcStubOptions {
  /** Device-code poll answers, in order (default: approve at once). */
  deviceSteps?: DeviceStep[];
  /** `interval` of StartDeviceAuthorization (default 1 second). */
  interval?: number;
  /** Access-token lifetime in seconds (default 8 hours). */
  accessTokenSeconds?: number;
  /** Lifetime of a client registration in seconds (default 90 days). */
  registrationSeconds?: number;
  /** Whether CreateToken returns a refresh token (default true). */
  refreshTokens?: boolean;
  /** AWS sign-in's CreateOAuth2Token (refreshing `aws login` sessions): refresh, or refuse as expired. */
  signin?: "refresh" | "TOKEN_EXPIRED";
}

export interface OidcStub {
  /** `http://127.0.0.1:<port>`: the OIDC and SSO portal endpoint alike. */
  readonly url: string;
  /** Calls in arrival order, e.g. `RegisterClient`, `CreateToken device_code → authorization_pending`. */
  readonly calls: string[];
  /** performance.now() of each device-code poll. */
  readonly pollTimes: number[];
  /** The RegisterClient bodies received. */
  readonly registrations: Record<string, unknown>[];
  /** Every token, code and secret handed out so far: secrets in play for the audit (secret-audit.ts). */
  readonly secretsSeen: string[];
  /** Secret of an access key id the portal handed out (for the git server). */
  secretFor(accessKeyId: string): string | undefined;
  /** Issues a token outside any flow (e.g. to seed a cache file), with a refresh token. */
  issueToken(clientId: string): { accessToken: string; refreshToken: string };
  /** Registers a client outside any flow. */
  registerClient(): { clientId: string; clientSecret: string };
  /** Makes every access token issued so far invalid at the portal. */
  revokeAccessTokens(): void;
  close(): Promise<void>;
}

interface PendingAuthorize {
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
}

export async function startOidcStub(options: OidcStubOptions = {}): Promise<OidcStub> {
  const calls: string[] = [];
  const pollTimes: number[] = [];
  const registrations: Record<string, unknown>[] = [];
  const clients = new Map<string, { secret: string; redirectUris: string[] }>();
  const deviceCodes = new Map<string, { clientId: string; step: number }>();
  const pendingAuthorize = new Map<string, PendingAuthorize>();
  const authCodes = new Map<string, PendingAuthorize>();
  const accessTokens = new Set<string>();
  const refreshTokens = new Map<string, string>();
  const roleSecrets = new Map<string, string>();
  let n = 0;
  const secretsSeen: string[] = [];
  const id = (prefix: string): string => {
    const value = `${prefix}-${++n}-${randomBytes(4).toString("hex")}`;
    // A client id and a request id are public; everything else id() makes is a token, code or secret.
    if (prefix !== "client" && prefix !== "request") secretsSeen.push(value);
    return value;
  };
  const steps = options.deviceSteps ?? ["approve"];

  const newToken = (clientId: string): Record<string, unknown> => {
    const accessToken = id("access-token");
    accessTokens.add(accessToken);
    const out: Record<string, unknown> = { accessToken, tokenType: "Bearer", expiresIn: options.accessTokenSeconds ?? 8 * 3600 };
    if (options.refreshTokens ?? true) {
      const refreshToken = id("refresh-token");
      refreshTokens.set(refreshToken, clientId);
      out.refreshToken = refreshToken;
    }
    return out;
  };
  const register = (body: Record<string, unknown>): { clientId: string; clientSecret: string } => {
    const clientId = id("client");
    const clientSecret = id("client-secret");
    clients.set(clientId, { secret: clientSecret, redirectUris: (body.redirectUris as string[] | undefined) ?? [] });
    return { clientId, clientSecret };
  };

  const server = await startHttpServer((req, res) => {
    void handle(req, res).catch((err: unknown) => json(res, 500, { message: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", server.url);
    const raw = await readBody(req);
    const body = (req.headers["content-type"] ?? "").includes("json") && raw ? (JSON.parse(raw) as Record<string, unknown>) : {};

    if (req.method === "POST" && url.pathname === "/client/register") {
      calls.push("RegisterClient");
      registrations.push(body);
      const { clientId, clientSecret } = register(body);
      const now = Math.floor(Date.now() / 1000);
      json(res, 200, {
        clientId,
        clientSecret,
        clientIdIssuedAt: now,
        clientSecretExpiresAt: now + (options.registrationSeconds ?? 90 * 86400),
      });
      return;
    }
    if (req.method === "POST" && url.pathname === "/device_authorization") {
      calls.push("StartDeviceAuthorization");
      if (!clientOk(body)) return oauthError(res, 401, "InvalidClientException", "invalid_client");
      const deviceCode = id("device-code");
      deviceCodes.set(deviceCode, { clientId: body.clientId as string, step: 0 });
      json(res, 200, {
        deviceCode,
        userCode: "WXYZ-1234",
        verificationUri: `${server.url}/device`,
        verificationUriComplete: `${server.url}/device?user_code=WXYZ-1234`,
        expiresIn: 600,
        interval: options.interval ?? 1,
      });
      return;
    }
    if (req.method === "POST" && url.pathname === "/token") {
      const grant = String(body.grantType);
      const short = grant.replace("urn:ietf:params:oauth:grant-type:", "");
      if (!clientOk(body)) {
        calls.push(`CreateToken ${short} → invalid_client`);
        return oauthError(res, 401, "InvalidClientException", "invalid_client");
      }
      if (grant === "urn:ietf:params:oauth:grant-type:device_code") {
        pollTimes.push(performance.now());
        const device = deviceCodes.get(String(body.deviceCode));
        if (!device || device.clientId !== body.clientId) return oauthError(res, 400, "InvalidGrantException", "invalid_grant");
        const step = steps[Math.min(device.step++, steps.length - 1)] as DeviceStep;
        calls.push(`CreateToken device_code → ${step}`);
        if (step === "approve") {
          deviceCodes.delete(String(body.deviceCode));
          return json(res, 200, newToken(device.clientId));
        }
        const exception = {
          authorization_pending: "AuthorizationPendingException",
          slow_down: "SlowDownException",
          expired_token: "ExpiredTokenException",
          access_denied: "AccessDeniedException",
        }[step];
        return oauthError(res, 400, exception, step);
      }
      if (grant === "authorization_code") {
        const pending = authCodes.get(String(body.code));
        authCodes.delete(String(body.code));
        const challenge = createHash("sha256").update(String(body.codeVerifier)).digest("base64url");
        const ok =
          pending && pending.clientId === body.clientId && pending.redirectUri === body.redirectUri && pending.challenge === challenge;
        calls.push(`CreateToken authorization_code → ${ok ? "ok" : "invalid_grant"}`);
        if (!ok) return oauthError(res, 400, "InvalidGrantException", "invalid_grant");
        return json(res, 200, newToken(pending.clientId));
      }
      if (grant === "refresh_token") {
        const owner = refreshTokens.get(String(body.refreshToken));
        const ok = owner !== undefined && owner === body.clientId;
        calls.push(`CreateToken refresh_token → ${ok ? "ok" : "invalid_grant"}`);
        if (!ok) return oauthError(res, 400, "InvalidGrantException", "invalid_grant");
        // Refresh tokens rotate: the old one is spent.
        refreshTokens.delete(String(body.refreshToken));
        return json(res, 200, newToken(owner));
      }
      return oauthError(res, 400, "UnsupportedGrantTypeException", "unsupported_grant_type");
    }
    if (req.method === "GET" && url.pathname === "/authorize") {
      // The portal's sign-in page: checks the request, then offers approve / deny.
      const q = url.searchParams;
      const client = clients.get(q.get("client_id") ?? "");
      const redirectUri = q.get("redirect_uri") ?? "";
      const redirect = safeUrl(redirectUri);
      const registered = client?.redirectUris.some(
        (r) => safeUrl(r)?.hostname === redirect?.hostname && safeUrl(r)?.pathname === redirect?.pathname,
      );
      const valid =
        q.get("response_type") === "code" &&
        q.get("code_challenge_method") === "S256" &&
        /^[A-Za-z0-9_-]{43}$/.test(q.get("code_challenge") ?? "") &&
        q.get("state") &&
        registered;
      calls.push(`Authorize → ${valid ? "sign-in page" : "invalid request"}`);
      if (!valid) return text(res, 400, "invalid authorization request\n");
      const requestId = id("request");
      pendingAuthorize.set(requestId, {
        clientId: q.get("client_id") as string,
        redirectUri,
        state: q.get("state") as string,
        challenge: q.get("code_challenge") as string,
      });
      const page = `<!doctype html><form method="post" action="/authorize/decide"><input type="hidden" name="request" value="${requestId}"><button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></form>\n`;
      res.writeHead(200, { "content-type": "text/html" }).end(page);
      return;
    }
    if (req.method === "POST" && url.pathname === "/authorize/decide") {
      const form = new URLSearchParams(raw);
      const pending = pendingAuthorize.get(form.get("request") ?? "");
      if (!pending) return text(res, 400, "unknown request\n");
      pendingAuthorize.delete(form.get("request") as string);
      const target = new URL(pending.redirectUri);
      target.searchParams.set("state", pending.state);
      if (form.get("decision") === "approve") {
        const code = id("auth-code");
        authCodes.set(code, pending);
        target.searchParams.set("code", code);
      } else {
        target.searchParams.set("error", "access_denied");
      }
      calls.push(`Authorize ${form.get("decision")}`);
      res.writeHead(302, { location: target.toString() }).end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/v1/token") {
      // AWS sign-in: a refresh for an `aws login` session, proven by a DPoP header (RFC 9449).
      const dpop = typeof req.headers.dpop === "string" && req.headers.dpop.split(".").length === 3;
      const outcome = !dpop || body.grantType !== "refresh_token" ? "invalid" : (options.signin ?? "refresh");
      calls.push(`CreateOAuth2Token → ${outcome}`);
      if (outcome !== "refresh") return oauthError(res, 400, "AccessDeniedException", outcome === "invalid" ? "INVALID_REQUEST" : outcome);
      const accessKeyId = `ASIALOGIN${String(++n).padStart(11, "0")}`;
      const secretAccessKey = id("login-secret");
      roleSecrets.set(accessKeyId, secretAccessKey);
      return json(res, 200, {
        accessToken: { accessKeyId, secretAccessKey, sessionToken: id("login-session") },
        tokenType: "aws_sigv4",
        expiresIn: 900,
        refreshToken: id("login-refresh"),
      });
    }
    if (req.method === "GET" && url.pathname === "/federation/credentials") {
      const token = String(req.headers["x-amz-sso_bearer_token"]);
      const ok = accessTokens.has(token);
      calls.push(
        `GetRoleCredentials ${url.searchParams.get("account_id")}/${url.searchParams.get("role_name")} → ${ok ? "ok" : "unauthorized"}`,
      );
      if (!ok) return oauthError(res, 401, "UnauthorizedException", "unauthorized");
      const accessKeyId = `ASIASSO${String(++n).padStart(13, "0")}`;
      const secretAccessKey = id("sso-role-secret");
      roleSecrets.set(accessKeyId, secretAccessKey);
      return json(res, 200, {
        roleCredentials: { accessKeyId, secretAccessKey, sessionToken: id("sso-role-session"), expiration: Date.now() + 3_600_000 },
      });
    }
    text(res, 404, "not found\n");
  }

  function clientOk(body: Record<string, unknown>): boolean {
    return clients.get(String(body.clientId))?.secret === body.clientSecret;
  }

  return {
    url: server.url,
    calls,
    pollTimes,
    registrations,
    secretsSeen,
    secretFor: (akid) => roleSecrets.get(akid),
    issueToken: (clientId) => {
      const t = newToken(clientId);
      return { accessToken: t.accessToken as string, refreshToken: t.refreshToken as string };
    },
    registerClient: () => register({}),
    revokeAccessTokens: () => accessTokens.clear(),
    close: () => server.close(),
  };
}

/**
 * A scripted browser: opens the authorize URL, answers the sign-in page's form with `decision`,
 * and follows the portal's redirect to the helper's 127.0.0.1 listener. Returns that last status.
 */
export async function scriptedBrowser(authorizeUrl: string, decision: "approve" | "deny"): Promise<number> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize page: ${page.status} ${html}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !request) throw new Error(`no sign-in form in ${html}`);
  const decided = await fetch(new URL(action, authorizeUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request, decision }).toString(),
    redirect: "manual",
  });
  const location = decided.headers.get("location");
  if (decided.status !== 302 || !location) throw new Error(`decision: ${decided.status}`);
  const back = await fetch(location);
  await back.text();
  return back.status;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain" }).end(body);
}

function oauthError(res: ServerResponse, status: number, type: string | undefined, error: string): void {
  res.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/`,
  });
  res.end(JSON.stringify({ error, error_description: `stub: ${error}` }));
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
