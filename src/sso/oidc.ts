/**
 * The three IAM Identity Center OIDC calls the sign-in needs, through the public
 * `@aws-sdk/client-sso-oidc` (loaded only when called: `get` pays for it only on a refresh). The
 * calls are unsigned (the SDK marks them noAuth), so no credentials are involved. The client is
 * made by src/aws-client/clients.ts, with the command's proxy and CA.
 */
import type { ClientContext } from "../aws-client/aws-client-config.js";
import { oidcClient } from "../aws-client/clients.js";
import { ssoEndpoint } from "./endpoints.js";
import { sdkPackage } from "../runtime/sdk-loader.js";

/** RegisterClient's parameters (a public client; auth-code registrations add grants, redirect and issuer). */
export interface RegisterClientInput {
  readonly clientName: string;
  readonly clientType: "public";
  readonly scopes?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly redirectUris?: readonly string[];
  readonly issuerUrl?: string;
}

/** RegisterClient's answer. */
export interface Registration {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Unix seconds. */
  readonly clientSecretExpiresAt: number;
}

/** StartDeviceAuthorization's answer. */
export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string;
  /** Seconds the user code stays valid. */
  readonly expiresIn: number;
  /** Seconds between polls, when the service names one. */
  readonly interval?: number;
}

/** CreateToken's parameters for the three grants used here. */
export interface CreateTokenInput {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly grantType: "urn:ietf:params:oauth:grant-type:device_code" | "authorization_code" | "refresh_token";
  readonly deviceCode?: string;
  readonly code?: string;
  readonly redirectUri?: string;
  readonly codeVerifier?: string;
  readonly refreshToken?: string;
}

/** CreateToken's answer. */
export interface Token {
  readonly accessToken: string;
  /** Seconds. */
  readonly expiresIn: number;
  readonly refreshToken?: string;
}

/** The OIDC service, as the flows see it (a fake in unit tests). */
export interface Oidc {
  /** The endpoint, for messages and the authorize URL: `scheme://host[:port]`. */
  readonly endpoint: string;
  registerClient(input: RegisterClientInput): Promise<Registration>;
  startDeviceAuthorization(input: { clientId: string; clientSecret: string; startUrl: string }): Promise<DeviceAuthorization>;
  createToken(input: CreateTokenInput): Promise<Token>;
  destroy(): void;
}

/** The session's region, and the command's network settings, budget and tracer. */
export interface OidcOptions {
  readonly region: string;
  readonly client: ClientContext;
}

/** Creates the SDK client for the session's region and endpoint. */
export async function createOidc(options: OidcOptions): Promise<Oidc> {
  const sdk = await sdkPackage("client-sso-oidc");
  const target = ssoEndpoint("sso-oidc", options.region, options.client);
  const client = await oidcClient(options.client, target);
  // botocore takes the authorize URL's base from the endpoint the client would call: scheme and host only.
  const resolved = target.url;
  const base = `${resolved.protocol}//${resolved.host}`;
  const { trace } = options.client;
  return {
    endpoint: base,
    async registerClient(input) {
      const out = await client.send(
        new sdk.RegisterClientCommand({
          ...input,
          scopes: input.scopes && [...input.scopes],
          grantTypes: input.grantTypes && [...input.grantTypes],
          redirectUris: input.redirectUris && [...input.redirectUris],
        }),
      );
      if (!out.clientId || !out.clientSecret || out.clientSecretExpiresAt === undefined)
        throw new Error("RegisterClient returned no client");
      trace.secret(out.clientSecret);
      return { clientId: out.clientId, clientSecret: out.clientSecret, clientSecretExpiresAt: Number(out.clientSecretExpiresAt) };
    },
    async startDeviceAuthorization(input) {
      const out = await client.send(new sdk.StartDeviceAuthorizationCommand(input));
      if (!out.deviceCode || !out.userCode || !out.verificationUri || !out.verificationUriComplete || out.expiresIn === undefined) {
        throw new Error("StartDeviceAuthorization returned an incomplete answer");
      }
      trace.secret(out.deviceCode);
      return {
        deviceCode: out.deviceCode,
        userCode: out.userCode,
        verificationUri: out.verificationUri,
        verificationUriComplete: out.verificationUriComplete,
        expiresIn: out.expiresIn,
        ...(out.interval !== undefined ? { interval: out.interval } : {}),
      };
    },
    async createToken(input) {
      const out = await client.send(new sdk.CreateTokenCommand(input));
      if (!out.accessToken || out.expiresIn === undefined) throw new Error("CreateToken returned no access token");
      trace.secret(out.accessToken);
      trace.secret(out.refreshToken);
      return { accessToken: out.accessToken, expiresIn: out.expiresIn, ...(out.refreshToken ? { refreshToken: out.refreshToken } : {}) };
    },
    destroy: () => client.destroy(),
  };
}
