/**
 * The OIDC stub's checks have teeth: the PKCE end-to-end test is only worth something if the stub
 * refuses a verifier that does not match the challenge, a foreign redirect URI, a spent refresh token.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOidcStub, type OidcStub } from "./support/oidc-stub.js";

let stub: OidcStub;
beforeEach(async () => {
  stub = await startOidcStub();
});
afterEach(() => stub.close());

async function post(path: string, body: object): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const res = await fetch(`${stub.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get("x-amzn-errortype"), json: (await res.json()) as Record<string, unknown> };
}

/** Registers an auth-code client and walks the sign-in page to an authorization code. */
async function authorize(
  verifier: string,
  redirectUri = "http://127.0.0.1:5555/oauth/callback",
): Promise<{ clientId: string; clientSecret: string; code: string }> {
  const reg = await post("/client/register", {
    clientName: "t",
    clientType: "public",
    redirectUris: ["http://127.0.0.1/oauth/callback"],
    grantTypes: ["authorization_code", "refresh_token"],
  });
  const clientId = reg.json.clientId as string;
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const q = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    state: "s",
    code_challenge_method: "S256",
    scopes: "sso:account:access",
    code_challenge: challenge,
  });
  const page = await (await fetch(`${stub.url}/authorize?${q.toString()}`)).text();
  const request = /name="request" value="([^"]+)"/.exec(page)?.[1] as string;
  const decided = await fetch(`${stub.url}/authorize/decide`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `request=${request}&decision=approve`,
    redirect: "manual",
  });
  const code = new URL(decided.headers.get("location") as string).searchParams.get("code") as string;
  return { clientId, clientSecret: reg.json.clientSecret as string, code };
}

describe("OIDC stub", () => {
  const verifier = "a".repeat(64);
  const redirectUri = "http://127.0.0.1:5555/oauth/callback";

  it("issues a token for the right verifier", async () => {
    const a = await authorize(verifier);
    const res = await post("/token", { ...a, grantType: "authorization_code", redirectUri, codeVerifier: verifier });
    expect(res.status).toBe(200);
  });

  it("refuses a verifier that does not match the challenge", async () => {
    const a = await authorize(verifier);
    const res = await post("/token", { ...a, grantType: "authorization_code", redirectUri, codeVerifier: "b".repeat(64) });
    expect([res.status, res.type?.split(":")[0], res.json.error]).toEqual([400, "InvalidGrantException", "invalid_grant"]);
  });

  it("refuses another redirect URI than the one authorized", async () => {
    const a = await authorize(verifier);
    const res = await post("/token", {
      ...a,
      grantType: "authorization_code",
      redirectUri: "http://127.0.0.1:6666/oauth/callback",
      codeVerifier: verifier,
    });
    expect(res.status).toBe(400);
  });

  it("does not show the sign-in page for a redirect URI the client did not register", async () => {
    const reg = await post("/client/register", {
      clientName: "t",
      clientType: "public",
      redirectUris: ["http://127.0.0.1/oauth/callback"],
    });
    const q = new URLSearchParams({
      response_type: "code",
      client_id: reg.json.clientId as string,
      redirect_uri: "http://evil.example/oauth/callback",
      state: "s",
      code_challenge_method: "S256",
      code_challenge: "x".repeat(43),
    });
    expect((await fetch(`${stub.url}/authorize?${q.toString()}`)).status).toBe(400);
  });

  it("spends a refresh token on use", async () => {
    const { clientId, clientSecret } = stub.registerClient();
    const { refreshToken } = stub.issueToken(clientId);
    expect((await post("/token", { clientId, clientSecret, grantType: "refresh_token", refreshToken })).status).toBe(200);
    expect((await post("/token", { clientId, clientSecret, grantType: "refresh_token", refreshToken })).status).toBe(400);
  });
});
