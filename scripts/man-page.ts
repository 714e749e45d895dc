// Writes the man page git-credential-codecommit(1) from the `--help` texts of src/help.ts, so the
// two cannot say different things: SYNOPSIS is the program help's usage lines, DESCRIPTION the rest
// of it, and COMMANDS each command's own `--help`, all set as they are printed (no fill), so every
// line a terminal shows for `--help` is a line `man` shows.
// Run by scripts/build.mjs through Bun (which imports the TypeScript source as it is).
// Usage: bun scripts/man-page.ts --out=dist/git-credential-codecommit.1
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { helpText, PROGRAM_HELP } from "../src/help.js";

const NAME = "git-credential-codecommit";

/**
 * Text as roff prints it: a backslash, a hyphen (else a typographic hyphen that a copied command
 * line would not survive, groff_man(7)), quotes and backquotes (else curly ones) escaped; a line
 * that starts with a dot or a quote would be a request.
 */
function roff(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const escaped = line.replace(/\\/g, "\\e").replace(/-/g, "\\-").replace(/'/g, "\\(aq").replace(/`/g, "\\(ga");
      return /^[.']/.test(line) ? `\\&${escaped}` : escaped;
    })
    .join("\n");
}

/** A block set line for line as `--help` prints it. */
const verbatim = (text: string): string => `.nf\n${roff(text.replace(/\n+$/, ""))}\n.fi\n`;

/**
 * The commands with help of their own, in the order the program help's usage lines name them
 * (`git-credential-codecommit <command> ...`), then `get` (whose help also stands for store and erase).
 */
function commands(): string[] {
  const named = [...PROGRAM_HELP.matchAll(new RegExp(`^(?:usage: )?\\s*${NAME} ([a-z][a-z-]*)\\b`, "gm"))].map((m) => m[1] as string);
  return [...new Set([...named, "get"])].filter((c) => helpText(c) !== PROGRAM_HELP);
}

function manPage(version: string, homepage: string): string {
  const [usage, ...rest] = PROGRAM_HELP.split("\n\n");
  const synopsis = (usage ?? "").replace(/^usage: /, "").replace(/^ {7}/gm, "");
  const description = rest.join("\n\n");
  const sections = commands().map((c) => `.SS ${roff(c === "get" ? "get, store, erase" : c)}\n${verbatim(helpText(c))}`);
  return [
    `.TH ${roff(NAME.toUpperCase())} 1 "" "${roff(NAME)} ${roff(version)}" "Git Manual"\n`,
    `.SH NAME\n${roff(NAME)} \\- git credential helper for AWS CodeCommit over HTTPS\n`,
    `.SH SYNOPSIS\n${verbatim(synopsis)}`,
    `.SH DESCRIPTION\n${verbatim(description)}`,
    `.SH COMMANDS\n${sections.join("")}`,
    `.SH SEE ALSO\n.BR gitcredentials (7),\n.BR git\\-config (1),\n${roff(homepage)}\n`,
  ].join("");
}

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8"));
const page = manPage(
  pkg.version,
  String(pkg.repository?.url ?? pkg.repository ?? "")
    .replace(/^git\+/, "")
    .replace(/\.git$/, ""),
);
if (args.out) writeFileSync(args.out, page);
else process.stdout.write(page);
