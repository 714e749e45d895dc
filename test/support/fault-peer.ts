/**
 * One AWS peer of credential resolution on 127.0.0.1 — STS, the SSO portal, the IAM Identity
 * Center OIDC service, a container credentials endpoint, instance metadata — that answers every
 * request well, or with one network fault (the matrix of test/e2e/network-faults.test.ts): an
 * answer held back, no answer at all, HTTP 500, throttling, a body that is no answer, a body cut
 * short by a closed connection. Each error is sent in the peer's own protocol (STS: Query/XML; SSO
 * and OIDC: restJson1 with `x-amzn-errortype`; container and IMDS: plain HTTP), so the SDK's retry
 * and parsing see what they would see from AWS. Refused connections and dropped SYNs need no server
 * (see the test).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpServer } from "./loopback.js";

/** The peers, by what the helper calls them. */
export type PeerName = "STS" | "SSO" | "OIDC" | "container" | "IMDS";

/** What the server does with each request. */
export type ServerFault =
  | { readonly kind: "ok" }
  | { readonly kind: "slow"; readonly ms: number }
  | { readonly kind: "hang" }
  | { readonly kind: "500" }
  | { readonly kind: "throttle" }
  | { readonly kind: "malformed" }
  | { readonly kind: "truncated" };

/** The credentials every good answer carries, so a test knows the username to expect. */
export const PEER_KEY = "ASIAFAULTPEER0000001";
export const PEER_SECRET = "fault-peer-secret-0123456789abcdef";
export const PEER_TOKEN = "fault-peer-session-token-0123456789";
/** The access token a good OIDC refresh hands out. */
export const PEER_ACCESS_TOKEN = "fault-peer-access-token-0123456789";

export interface FaultPeer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests received ("METHOD path"), in arrival order, before any delay or fault. */
  readonly calls: string[];
  close(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const inAnHour = (): Date => new Date(Date.now() + 3_600_000);
const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The peer's good answer to `req`. */
function goodReply(peer: PeerName, req: IncomingMessage): Reply {
  const json = (body: unknown): Reply => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  switch (peer) {
    case "STS":
      return {
        status: 200,
        headers: { "content-type": "text/xml", "x-amzn-requestid": "sts-ok-1" },
        body:
          '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
          `<AccessKeyId>${PEER_KEY}</AccessKeyId><SecretAccessKey>${PEER_SECRET}</SecretAccessKey><SessionToken>${PEER_TOKEN}</SessionToken>` +
          `<Expiration>${isoSeconds(inAnHour())}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAULT:s</AssumedRoleId>` +
          "<Arn>arn:aws:sts::222222222222:assumed-role/dev/s</Arn></AssumedRoleUser></AssumeRoleResult>" +
          "<ResponseMetadata><RequestId>sts-ok-1</RequestId></ResponseMetadata></AssumeRoleResponse>",
      };
    case "SSO":
      return json({
        roleCredentials: {
          accessKeyId: PEER_KEY,
          secretAccessKey: PEER_SECRET,
          sessionToken: PEER_TOKEN,
          expiration: inAnHour().getTime(),
        },
      });
    case "OIDC":
      return json({ accessToken: PEER_ACCESS_TOKEN, tokenType: "Bearer", expiresIn: 28_800, refreshToken: "fault-peer-refresh-token-2" });
    case "container":
      return json({ AccessKeyId: PEER_KEY, SecretAccessKey: PEER_SECRET, Token: PEER_TOKEN, Expiration: isoSeconds(inAnHour()) });
    case "IMDS": {
      const path = req.url ?? "/";
      if (req.method === "PUT" && path === "/latest/api/token")
        return { status: 200, headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21600" }, body: "imds-session-token" };
      if (path === "/latest/meta-data/iam/security-credentials/") return { status: 200, headers: {}, body: "instance-role" };
      if (path === "/latest/meta-data/iam/security-credentials/instance-role") {
        return json({
          Code: "Success",
          LastUpdated: isoSeconds(new Date()),
          Type: "AWS-HMAC",
          AccessKeyId: PEER_KEY,
          SecretAccessKey: PEER_SECRET,
          Token: PEER_TOKEN,
          Expiration: isoSeconds(inAnHour()),
        });
      }
      return { status: 404, headers: {}, body: "" };
    }
  }
}

/** The peer's server error (500) or throttling answer, in its own protocol. */
function errorReply(peer: PeerName, fault: "500" | "throttle"): Reply {
  const id = { "x-amzn-requestid": `${peer.toLowerCase()}-${fault}-1` };
  if (peer === "STS") {
    const [status, type, code, message] =
      fault === "500" ? [500, "Receiver", "InternalFailure", "internal failure"] : [400, "Sender", "Throttling", "Rate exceeded"];
    return {
      status,
      headers: { "content-type": "text/xml", ...id },
      body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${id["x-amzn-requestid"]}</RequestId></ErrorResponse>`,
    };
  }
  if (peer === "SSO" || peer === "OIDC") {
    // SSO: TooManyRequestsException (429); OIDC has no throttling error of its own, the SDK's
    // generic ThrottlingException is what a throttled AWS front end sends.
    const [status, type] =
      fault === "500"
        ? [500, "InternalServerException"]
        : peer === "SSO"
          ? [429, "TooManyRequestsException"]
          : [400, "ThrottlingException"];
    return {
      status,
      headers: { "content-type": "application/json", "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/`, ...id },
      body: JSON.stringify({ message: fault === "500" ? "internal failure" : "Rate exceeded" }),
    };
  }
  // Container agents and IMDS are plain HTTP; IMDS answers 429 when throttled.
  return fault === "500"
    ? { status: 500, headers: id, body: "Internal Server Error" }
    : { status: 429, headers: id, body: "Too Many Requests" };
}

/** A body that is not an answer: wrong format altogether, with a 200. */
function malformedReply(peer: PeerName): Reply {
  return {
    status: 200,
    headers: { "content-type": peer === "STS" ? "text/xml" : "application/json", "x-amzn-requestid": `${peer.toLowerCase()}-malformed-1` },
    body: "<html>this is not an AWS answer</html",
  };
}

/** Starts `peer` on 127.0.0.1:0, answering every request as `fault` says. */
export async function startFaultPeer(peer: PeerName, fault: ServerFault): Promise<FaultPeer> {
  const calls: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const send = (req: IncomingMessage, res: ServerResponse): void => {
    if (res.destroyed) return;
    const reply =
      fault.kind === "500" || fault.kind === "throttle"
        ? errorReply(peer, fault.kind)
        : fault.kind === "malformed"
          ? malformedReply(peer)
          : goodReply(peer, req);
    if (fault.kind === "truncated") {
      // The full length announced, half of it sent, then the connection closed.
      const body = Buffer.from(reply.body);
      res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.length) });
      res.write(body.subarray(0, body.length >> 1), () => res.destroy());
      return;
    }
    res.writeHead(reply.status, reply.headers).end(reply.body);
  };
  const server = await startHttpServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      if (fault.kind === "hang") return;
      if (fault.kind !== "slow") return send(req, res);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(req, res);
      }, fault.ms);
      timers.add(timer);
    });
  });
  return {
    url: server.url,
    calls,
    close: () => {
      for (const t of timers) clearTimeout(t);
      return server.close();
    },
  };
}
