/**
 * A local STS peer speaking the AWS Query protocol (form-encoded POST in, XML out) on 127.0.0.1, so
 * the helper, the AWS SDK and the AWS CLI can assume roles against it via `AWS_ENDPOINT_URL_STS`.
 * It does not check SigV4; it records who called (the access key id in `Authorization`) and mints
 * fresh credentials that other stubs can verify through {@link StsStub.secretFor}.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Options for {@link startStsStub}. */
export interface StsStubOptions {
  /** Wait this long before answering each request. */
  delayMs?: number;
  /** Read each request, record it, and never answer (for timeout tests). */
  hang?: boolean;
  /**
   * Hold every request (recorded at once) until {@link StsStub.open} is called, then answer the held
   * ones in arrival order and every later one at once. Lets a test decide when STS answers — e.g.
   * once every waiter on a lock has been seen — instead of racing a fixed delay.
   */
  gate?: boolean;
  /** Answer every call except GetCallerIdentity with 403 AccessDenied, as STS does for a missing trust. */
  deny?: boolean;
  /**
   * Lifetime of issued credentials, overriding the request's `DurationSeconds` (default: the request's,
   * else 3600). Unlike real STS it may be below 900, to test near-expiry behaviour.
   */
  durationSeconds?: number;
}

/** One request as the stub received it. */
export interface StsCall {
  /** `Action` parameter, e.g. `AssumeRole`. */
  action: string;
  /** Every Query parameter, `Action` and `Version` included. */
  params: Record<string, string>;
  /** Access key id from the SigV4 `Authorization` header; absent for unsigned calls (web identity). */
  accessKeyId?: string;
  /** The region in the SigV4 credential scope: which regional STS the caller meant to reach. */
  signingRegion?: string;
}

/** Credentials the stub handed out. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** The identity they belong to, as GetCallerIdentity reports it. */
  arn: string;
}

/** A running stub; see {@link startStsStub}. */
export interface StsStub {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_STS`. */
  endpoint: string;
  /** Every request so far, in arrival order (recorded before any delay, hang or denial). */
  calls: StsCall[];
  /** Every set of credentials issued so far. */
  issued: IssuedCredentials[];
  /** The secret for an issued or registered access key id. */
  secretFor(accessKeyId: string): string | undefined;
  /** Makes a long-term key known, so {@link StsStub.secretFor} answers for it. */
  registerStatic(accessKeyId: string, secretAccessKey: string): void;
  /** Opens the gate (see {@link StsStubOptions.gate}); a no-op without one or when open. */
  open(): void;
  /** Stops listening and ends every connection, hanging ones included. */
  close(): Promise<void>;
}

/** Account and long-term identity the stub pretends every static key belongs to. */
export const STUB_ACCOUNT = "111111111111";
export const STUB_USER_ARN = `arn:aws:iam::${STUB_ACCOUNT}:user/dev`;

/** An identity as GetCallerIdentity reports it. */
interface Identity {
  arn: string;
  userId: string;
}
const STUB_USER: Identity = { arn: STUB_USER_ARN, userId: "AIDAEXAMPLEUSERDEV00" };

const XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomId(prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 16; i++) id += ALNUM[randomInt(ALNUM.length)];
  return id;
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Nested elements from a plain object, in property order (STS's own order is kept by the callers). */
function elements(fields: Record<string, string | Record<string, string> | undefined>): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string | Record<string, string>] => entry[1] !== undefined)
    .map(([name, value]) => `<${name}>${typeof value === "string" ? xml(value) : elements(value)}</${name}>`)
    .join("");
}

/** `2019-11-09T13:34:41Z`: STS's Expiration format, second precision with `Z`. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function success(action: string, result: Record<string, string | Record<string, string> | undefined>): string {
  return (
    `<${action}Response xmlns="${XMLNS}"><${action}Result>${elements(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

function errorResponse(type: "Sender" | "Receiver", code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${xml(code)}</Code>` +
    `<Message>${xml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

/** Claims of a JWT, or {} when it is not one: web identity tokens in tests are often placeholders. */
function jwtClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split(".")[1];
    const claims: unknown = payload === undefined ? {} : JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `arn:aws:iam::<acct>:role/<path/name>` → the account and the role's name (last path segment). */
function parseRoleArn(roleArn: string): { account: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m && m[1] !== undefined && m[2] !== undefined ? { account: m[1], name: m[2] } : undefined;
}

/** Starts the stub on 127.0.0.1 with an ephemeral port. */
export async function startStsStub(opts: StsStubOptions = {}): Promise<StsStub> {
  const calls: StsCall[] = [];
  const issued: IssuedCredentials[] = [];
  const statics = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  // Answers waiting for the gate, in arrival order; undefined once it is open (or there is none).
  let held: Array<() => void> | undefined = opts.gate ? [] : undefined;

  // Who each issued key id acts as, for GetCallerIdentity and denial messages.
  const identities = new Map<string, Identity>();
  const callerOf = (accessKeyId: string | undefined): Identity =>
    (accessKeyId === undefined ? undefined : identities.get(accessKeyId)) ?? STUB_USER;

  const issue = (who: Identity, requestedSeconds: string | undefined): IssuedCredentials => {
    const seconds = opts.durationSeconds ?? (requestedSeconds ? Number(requestedSeconds) : 3600);
    const creds: IssuedCredentials = {
      accessKeyId: randomId("ASIA"),
      // Real secrets and tokens are base64 with `+`, `/` and `=`; keep those so escaping bugs show.
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString("base64")}`,
      expiration: new Date(Date.now() + seconds * 1000),
      arn: who.arn,
    };
    issued.push(creds);
    identities.set(creds.accessKeyId, who);
    return creds;
  };
  const credentialsXml = (c: IssuedCredentials): Record<string, string> => ({
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: isoSeconds(c.expiration),
  });

  /** The response for one call: status and XML body. */
  const answer = (call: StsCall): { status: number; body: string } => {
    const { action, params } = call;
    if (opts.deny && action !== "GetCallerIdentity") {
      // GetCallerIdentity needs no permission, so STS never denies it.
      const caller = callerOf(call.accessKeyId).arn;
      const resource = params.RoleArn ?? caller;
      return {
        status: 403,
        body: errorResponse(
          "Sender",
          "AccessDenied",
          `User: ${caller} is not authorized to perform: sts:${action} on resource: ${resource}`,
        ),
      };
    }
    const assumed = (roleArn: string | undefined, sessionName: string | undefined): Identity | undefined => {
      const role = roleArn === undefined ? undefined : parseRoleArn(roleArn);
      if (role === undefined || !sessionName) return undefined;
      return {
        arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
        userId: `${randomId("AROA")}:${sessionName}`,
      };
    };
    const assumedRoleUser = (who: Identity): Record<string, string> => ({ AssumedRoleId: who.userId, Arn: who.arn });
    const invalid = (message: string) => ({ status: 400, body: errorResponse("Sender", "ValidationError", message) });

    switch (action) {
      case "AssumeRole": {
        const role = assumed(params.RoleArn, params.RoleSessionName);
        if (!role) return invalid("RoleArn must be a role ARN and RoleSessionName is required");
        const creds = issue(role, params.DurationSeconds);
        return {
          status: 200,
          body: success(action, { Credentials: credentialsXml(creds), AssumedRoleUser: assumedRoleUser(role) }),
        };
      }
      case "AssumeRoleWithWebIdentity": {
        const role = assumed(params.RoleArn, params.RoleSessionName);
        if (!role || !params.WebIdentityToken) {
          return invalid("RoleArn, RoleSessionName and WebIdentityToken are required");
        }
        const claims = jwtClaims(params.WebIdentityToken);
        const creds = issue(role, params.DurationSeconds);
        return {
          status: 200,
          body: success(action, {
            Credentials: credentialsXml(creds),
            SubjectFromWebIdentityToken: typeof claims.sub === "string" ? claims.sub : "test-subject",
            AssumedRoleUser: assumedRoleUser(role),
            Provider: typeof claims.iss === "string" ? claims.iss : "test-provider",
            Audience: typeof claims.aud === "string" ? claims.aud : "sts.amazonaws.com",
          }),
        };
      }
      case "GetSessionToken": {
        // Session credentials of a user act as that user.
        const creds = issue(callerOf(call.accessKeyId), params.DurationSeconds);
        return { status: 200, body: success(action, { Credentials: credentialsXml(creds) }) };
      }
      case "GetCallerIdentity": {
        const who = callerOf(call.accessKeyId);
        return {
          status: 200,
          body: success(action, {
            Arn: who.arn,
            UserId: who.userId,
            Account: /::(\d{12}):/.exec(who.arn)?.[1] ?? STUB_ACCOUNT,
          }),
        };
      }
      default:
        return {
          status: 400,
          body: errorResponse("Sender", "InvalidAction", `Could not find operation ${action} for version 2011-06-15`),
        };
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      // The Query protocol allows parameters in the URL (GET) as well as the form body (POST).
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) params[k] = v;
      // Credential=<akid>/<date>/<region>/sts/aws4_request: who signed, and for which region.
      const scope = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\//.exec(req.headers.authorization ?? "");
      const call: StsCall = {
        action: params.Action ?? "",
        params,
        ...(scope?.[1] === undefined ? {} : { accessKeyId: scope[1] }),
        ...(scope?.[2] === undefined ? {} : { signingRegion: scope[2] }),
      };
      calls.push(call);
      if (opts.hang) return;

      const send = (): void => {
        const { status, body } = answer(call);
        // A caller killed while its request was held: the credentials are issued all the same (so
        // `issued` follows arrival order), there is just nobody left to tell.
        if (res.destroyed) return;
        res.writeHead(status, { "Content-Type": "text/xml", "x-amzn-RequestId": randomUUID() }).end(body);
      };
      if (held !== undefined) {
        held.push(send);
        return;
      }
      if (opts.delayMs === undefined) {
        send();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, opts.delayMs);
      timers.add(timer);
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    issued,
    secretFor: (accessKeyId) => statics.get(accessKeyId) ?? issued.find((c) => c.accessKeyId === accessKeyId)?.secretAccessKey,
    registerStatic: (accessKeyId, secretAccessKey) => {
      statics.set(accessKeyId, secretAccessKey);
    },
    open: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const send of waiting) send();
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hanging and keep-alive requests would otherwise keep close() waiting forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
