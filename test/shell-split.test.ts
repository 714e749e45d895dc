/** credential_process splitting (the same shlexSplit that reads quoted profile names), checked against Python's own shlex.split (botocore's compat_shell_split). */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shlexSplit } from "../src/aws-config/shlex.js";

const LINES = [
  "aws-vault exec dev --json",
  "  /usr/bin/creds   --profile  x  ",
  "'/opt/my tools/creds' --name 'a b'",
  '"/opt/my tools/creds" --json "{\\"a\\": 1}"',
  "creds --token=abc\\ def",
  'creds "back\\\\slash" "keep\\n" \'lit\\eral\'',
  "creds ''",
  'creds "" x',
  "creds a'b'c\"d\"e",
  "creds $HOME `id` ; rm -rf / | cat > x",
  "creds\t--tab\n--newline",
  "creds #not-a-comment",
  "",
  "   ",
];
const REFUSED = ["creds 'unclosed", 'creds "unclosed', "creds trailing\\"];

/** What Python's shlex.split gives, or null where it raises. */
function python(lines: string[]): (string[] | null)[] {
  const script =
    "import json,shlex,sys\nout=[]\nfor l in json.load(sys.stdin):\n  try: out.append(shlex.split(l))\n  except ValueError: out.append(None)\nprint(json.dumps(out))";
  return JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(lines) }).toString()) as (string[] | null)[];
}

describe("shlexSplit on credential_process lines, as shlex.split", () => {
  const expected = python([...LINES, ...REFUSED]);
  it.each(LINES.map((l, i) => [l, i] as const))("%j", (line, i) => {
    expect(shlexSplit(line)).toEqual(expected[i]);
  });
  it.each(REFUSED.map((l, i) => [l, i + LINES.length] as const))("refuses %j", (line, i) => {
    expect(expected[i]).toBeNull();
    expect(shlexSplit(line)).toBeUndefined();
  });
});
