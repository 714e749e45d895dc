/**
 * Small loopback servers for tests: a port nothing listens on, and a plain HTTP server with a
 * handler (a container credentials endpoint, an IMDS, an SSO portal). 127.0.0.1 only.
 */
import { createServer as createHttpServer, type RequestListener } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo } from "node:net";

/** A port that was free a moment ago: for "connection refused", or for a server started elsewhere. */
export async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface LoopbackHttp {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Ends open connections too, so a test never waits on a keep-alive socket. */
  close(): Promise<void>;
}

export async function startHttpServer(handler: RequestListener): Promise<LoopbackHttp> {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
