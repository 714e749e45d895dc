/**
 * Python's `shlex.split(text)` (POSIX mode, no comments), which botocore applies to section
 * names such as `[profile "my profile"]`. Undefined where Python raises ValueError (an unclosed
 * quote, a trailing backslash): botocore then ignores the section.
 *
 * Source: CPython 3.11 Lib/shlex.py, `read_token` with posix=True, whitespace_split=True.
 */
const WHITESPACE = " \t\r\n";

/** The words of `text` as `shlex.split` gives them, or undefined where it raises. */
export function shlexSplit(text: string): string[] | undefined {
  // Most section names ("profile dev") hold no quote, backslash, tab or line end: their words are
  // the parts between spaces, which a native split finds for less than the scan below costs a
  // run per character.
  if (!hasOtherThanSpaces(text)) return text.split(" ").filter((w) => w !== "");
  const tokens: string[] = [];
  let i = 0;
  for (;;) {
    // state " ": skip whitespace before a token.
    while (i < text.length && WHITESPACE.includes(text[i] as string)) i++;
    if (i >= text.length) return tokens;
    let token = "";
    let state: "a" | "'" | '"' = "a";
    for (;;) {
      if (i >= text.length) {
        if (state !== "a") return undefined; // No closing quotation
        break;
      }
      const c = text[i++] as string;
      if (state === "a") {
        if (WHITESPACE.includes(c)) break;
        if (c === "'" || c === '"') state = c;
        else if (c === "\\") {
          if (i >= text.length) return undefined; // No escaped character
          token += text[i++];
        } else token += c;
      } else if (c === state) {
        state = "a";
      } else if (state === '"' && c === "\\") {
        if (i >= text.length) return undefined;
        const next = text[i++] as string;
        // Inside double quotes a backslash escapes only `"` and `\`.
        token += next === '"' || next === "\\" ? next : `\\${next}`;
      } else {
        token += c;
      }
    }
    tokens.push(token);
  }
}

/** Whether `text` holds a character that quotes, escapes or splits, other than " ". */
function hasOtherThanSpaces(text: string): boolean {
  return (
    text.indexOf("'") >= 0 ||
    text.indexOf('"') >= 0 ||
    text.indexOf("\\") >= 0 ||
    text.indexOf("\t") >= 0 ||
    text.indexOf("\r") >= 0 ||
    text.indexOf("\n") >= 0
  );
}
