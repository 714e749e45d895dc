/**
 * moto_server (moto 5, shipped with these machines) as a real STS protocol peer on 127.0.0.1: it
 * parses and answers STS as AWS does, independently of our own stub.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./loopback.js";

export interface Moto {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts moto_server and waits until it accepts requests (at most 120 s: a hang bound; Python starts slowly on a busy machine). */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill("SIGKILL");
        throw new Error("moto_server did not start within 120 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    endpoint,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
