/**
 * The OAuth redirect target of the authorization-code flow: a one-shot HTTP server on 127.0.0.1
 * (never all interfaces) at `/oauth/callback`, as the AWS CLI's AuthCodeFetcher. It answers the
 * browser with a short page and hands back the code and state, or the error the portal sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What arrived at the callback. */
export type CallbackResult = { readonly code: string; readonly state: string } | { readonly error: string };

export interface RedirectListener {
  /** `http://127.0.0.1:<port>/oauth/callback` */
  readonly redirectUri: string;
  /** Resolves with the first callback that carries a code and state, or an error. */
  readonly result: Promise<CallbackResult>;
  close(): void;
}

const PAGE_OK = "<!doctype html><title>Signed in</title><p>Signed in. You can close this tab and return to the terminal.</p>\n";
const PAGE_FAILED =
  "<!doctype html><title>Sign-in failed</title><p>The sign-in did not complete. Return to the terminal for details.</p>\n";

/** Starts listening on a free port of 127.0.0.1. */
export async function startRedirectListener(): Promise<RedirectListener> {
  let deliver!: (result: CallbackResult) => void;
  const result = new Promise<CallbackResult>((resolve) => (deliver = resolve));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const code = url.searchParams.get("code");
    const state = url.searchParams.get("state");
    const error = url.searchParams.get("error");
    if (req.method !== "GET" || url.pathname !== "/oauth/callback" || (error === null && (code === null || state === null))) {
      // A favicon request or a stray visit: not the redirect.
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", connection: "close" }).end(error === null ? PAGE_OK : PAGE_FAILED);
    deliver(
      error === null
        ? { code: code as string, state: state as string }
        : { error: [error, url.searchParams.get("error_description")].filter(Boolean).join(": ") },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/oauth/callback`,
    result,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
