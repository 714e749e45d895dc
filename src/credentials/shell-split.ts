/**
 * Python's `shlex.split(s)` (POSIX mode, no comments), which botocore's `compat_shell_split` uses on
 * every platform but Windows to turn `credential_process` into an argument list: no shell runs it.
 */

/** Thrown for what shlex refuses: an unclosed quote, a trailing backslash. */
export class ShellSplitError extends Error {
  override readonly name = "ShellSplitError";
}

const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

/** The arguments of `line` as `shlex.split(line)` gives them. */
export function shellSplit(line: string): string[] {
  const args: string[] = [];
  let token = "";
  // A token exists once any character (or a pair of quotes) has been read for it.
  let inToken = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (WHITESPACE.has(c)) {
      if (inToken) args.push(token);
      token = "";
      inToken = false;
      i++;
    } else if (c === "\\") {
      if (i + 1 >= line.length) throw new ShellSplitError("No escaped character");
      token += line[i + 1];
      inToken = true;
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSplitError("No closing quotation");
      token += line.slice(i + 1, end);
      inToken = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new ShellSplitError("No closing quotation");
        const q = line[i] as string;
        if (q === '"') break;
        // Inside double quotes a backslash escapes only `"` and itself; otherwise it stays.
        if (q === "\\" && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === "\\")) {
          token += line[i + 1];
          i += 2;
        } else if (q === "\\" && i + 1 >= line.length) {
          throw new ShellSplitError("No escaped character");
        } else {
          token += q;
          i++;
        }
      }
      inToken = true;
      i++;
    } else {
      token += c;
      inToken = true;
      i++;
    }
  }
  if (inToken) args.push(token);
  return args;
}
