/** One line of `doctor`'s report: ✓, ⚠ or ✗, what was found, and for a problem the commands that fix it. */

/** ✓, ⚠ or ✗. */
export type CheckStatus = "ok" | "warn" | "fail";

/** One checked thing. */
export interface Check {
  readonly status: CheckStatus;
  readonly text: string;
  /** Commands to run, in order, exactly as typed. */
  readonly fixes?: readonly string[];
}

const MARK: Readonly<Record<CheckStatus, string>> = { ok: "✓", warn: "⚠", fail: "✗" };

/** `✓ text`, or `✗ text` followed by one `    fix: <command>` line per command. */
export function renderCheck(check: Check): string {
  return `${[`${MARK[check.status]} ${check.text}`, ...(check.fixes ?? []).map((f) => `    fix: ${f}`)].join("\n")}\n`;
}

/** A passed check. */
export const ok = (text: string): Check => ({ status: "ok", text });
/** A weakness that still works, with what would fix it. */
export const warn = (text: string, ...fixes: string[]): Check => ({ status: "warn", text, fixes });
/** A failure, with the commands that fix it. */
export const fail = (text: string, ...fixes: string[]): Check => ({ status: "fail", text, fixes });
