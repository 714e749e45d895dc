/**
 * Whether a browser can be opened in front of the user, and the command that opens one. `BROWSER`
 * wins, as in Python's webbrowser (which `aws sso login` uses); an SSH session cannot (the browser
 * would open on the far machine); on Linux and other X11/Wayland systems only with a display.
 */
import { spawn } from "node:child_process";
import { ENV, type Env } from "../env.js";

/**
 * How to open a URL here: a function giving the command line for a URL, or undefined when no
 * browser can be opened in front of the user.
 */
export function browserCommand(env: Env, platform: NodeJS.Platform): ((url: string) => string[]) | undefined {
  const configured = (env[ENV.browser] ?? "").split(platform === "win32" ? ";" : ":").find((c) => c.trim() !== "");
  if (configured) {
    // webbrowser's GenericBrowser: "%s" stands for the URL, else the URL is the last argument.
    const args = configured.trim().split(/\s+/);
    return (url) => (args.some((a) => a.includes("%s")) ? args.map((a) => a.replaceAll("%s", url)) : [...args, url]);
  }
  if (env[ENV.sshConnection] || env[ENV.sshTty]) return undefined;
  if (platform === "darwin") return (url) => ["open", url];
  // rundll32 takes the URL as one argument: no cmd.exe quoting of "&" in the query to get wrong.
  if (platform === "win32") return (url) => ["rundll32", "url.dll,FileProtocolHandler", url];
  if (!env[ENV.display] && !env[ENV.waylandDisplay]) return undefined;
  return (url) => ["xdg-open", url];
}

/** Starts the command without waiting for it; false if it could not be started or failed at once. */
export function runBrowser(command: readonly string[], env: Env): Promise<boolean> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command[0] as string, command.slice(1), { env: env as NodeJS.ProcessEnv, stdio: "ignore", detached: true });
    } catch {
      resolve(false);
      return;
    }
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}
