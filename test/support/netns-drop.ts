/**
 * Runs ONE helper invocation inside a loopback-only network namespace whose iptables drops the SYNs
 * of one port, with a good SSO portal beside it (the rows whose faulty peer comes before the
 * portal need one in there too). Started by test/e2e/network-faults.test.ts as
 * `unshare -n sh -c 'ip link set lo up && iptables -A INPUT -p tcp --dport P -j DROP && exec bun test/support/netns-drop.ts'`
 * (Bun runs this TypeScript directly), with the case as JSON in NETNS_CASE; `{portal}` in its
 * environment values becomes the portal's URL. Prints one JSON line: a RunResult.
 */
import { startFaultPeer } from "./fault-peer.js";
import { runCommand, type RunResult } from "./run-binary.js";

/** What the test asks for. */
export interface DropCase {
  readonly command: readonly string[];
  readonly env: Record<string, string>;
  readonly stdin: string;
}

async function main(): Promise<void> {
  const c = JSON.parse(process.env.NETNS_CASE ?? "{}") as DropCase;
  const portal = await startFaultPeer("SSO", { kind: "ok" });
  const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, v.replaceAll("{portal}", portal.url)]));
  const result: RunResult = await runCommand(c.command, { env, stdin: c.stdin, timeoutMs: 60_000 });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await portal.close();
  process.exit(0);
}

void main();
