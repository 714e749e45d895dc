/**
 * A tiny forward proxy for tests: answers `CONNECT host:port` by tunnelling to wherever `route`
 * sends that target (so `sts.us-east-1.amazonaws.com:443` can reach a loopback TLS server), and
 * forwards plain requests in absolute form (`POST http://host/...`) the same way. Records every
 * target ("host:port" for CONNECT, "METHOD url" for plain requests) and Proxy-Authorization.
 */
import { createServer, type IncomingMessage, request as httpRequest } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every target, in arrival order: "host:port" for CONNECT, "METHOD url" for a plain request. */
  readonly connects: string[];
  /** Proxy-Authorization headers seen (for a proxy URL with user:password). */
  readonly auth: (string | undefined)[];
  close(): Promise<void>;
}

/** Starts the proxy; `route` maps a CONNECT target to a loopback port, or undefined to refuse (502). */
export async function startConnectProxy(route: (target: string) => number | undefined): Promise<ConnectProxy> {
  const connects: string[] = [];
  const auth: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    // A plain-HTTP request in absolute form (what HTTP_PROXY gets): forwarded as "GET http://host/...".
    connects.push(`${req.method} ${req.url}`);
    auth.push(req.headers["proxy-authorization"]);
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end();
      return;
    }
    const port = route(`${target.hostname}:${target.port || "80"}`);
    if (port === undefined) {
      res.writeHead(502).end();
      return;
    }
    const up = httpRequest(
      { host: "127.0.0.1", port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    const target = req.url ?? "";
    connects.push(target);
    auth.push(req.headers["proxy-authorization"]);
    const port = route(target);
    if (port === undefined) {
      client.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const upstream = connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    auth,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
