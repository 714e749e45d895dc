/**
 * One executable, two programs: started under the name `git-remote-codecommit` (a
 * link or a copy) it is git's remote helper; under any other name, the credential helper. Kept
 * apart from the remote code so that main.ts can decide without loading it.
 */

/**
 * Whether this start is git running a remote helper: the program name is git-remote-codecommit
 * (case and `.exe` ignored, as Windows matches them) and the first argument is no option. git
 * passes a remote helper `<remote> [<url>]`, never an option; the credential helper command that
 * the hand-off configures starts with `--region`, so a copy named git-remote-codecommit still
 * answers git's credential requests.
 */
export function isRemoteHelperCall(programName: string, argv: readonly string[]): boolean {
  // Every run asks this: no regular-expression split or replace (interpreted builtins under Bun).
  const base = programName.slice(Math.max(programName.lastIndexOf("/"), programName.lastIndexOf("\\")) + 1).toLowerCase();
  return (base === "git-remote-codecommit" || base === "git-remote-codecommit.exe") && !(argv[0] ?? "").startsWith("-");
}
