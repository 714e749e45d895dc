/** One line of `doctor`'s report: ✓, ⚠ or ✗, what was found, and for a problem the commands that fix it. */

export type CheckStatus = "ok" | "warn" | "fail";

export interface Check {
  readonly status: CheckStatus;
  readonly text: string;
  /** Commands to run, in order, exactly as typed. */
  readonly fixes?: readonly string[];
}

const MARK: Readonly<Record<CheckStatus, string>> = { ok: "✓", warn: "⚠", fail: "✗" };

/** `✓ text`, or `✗ text` followed by one `    fix: <command>` line per command. */
export function renderCheck(check: Check): string {
  return [`${MARK[check.status]} ${check.text}`, ...(check.fixes ?? []).map((f) => `    fix: ${f}`)].join("\n") + "\n";
}

export const ok = (text: string): Check => ({ status: "ok", text });
export const warn = (text: string, ...fixes: string[]): Check => ({ status: "warn", text, fixes });
export const fail = (text: string, ...fixes: string[]): Check => ({ status: "fail", text, fixes });
