/**
 * The `--help` texts: the program's, and one per command (`git-credential-codecommit <command> --help`).
 * Each shows the empty `helper` reset, which keeps a storing helper from replaying a 15-minute
 * password after it expired.
 */

export const PROGRAM_HELP = `usage: git-credential-codecommit [--profile NAME] [--region REGION] [--host NAME]... [--debug] <get|store|erase>
       git-credential-codecommit setup  [--profile NAME] [--region REGION] [--global] [--remove]
       git-credential-codecommit clone  [--profile NAME] [--region REGION] <repository> [<dir>] [-- <git clone args>]
       git-credential-codecommit doctor [--profile NAME] [--region REGION] [--fix] [<url>]
       git-credential-codecommit login  [--profile NAME] [--no-browser | --use-device-code]
       git-credential-codecommit install-remote-helper [DIR]
       git-credential-codecommit --version | --help | <command> --help

A git credential helper for AWS CodeCommit over HTTPS: git asks it for a password, it signs one
(valid 15 minutes) with the credentials of an AWS profile, as "aws codecommit credential-helper" does.

Commands:
  clone    clone a repository, set up for this helper
  setup    set up the current repository (or, with --global, every CodeCommit URL)
  doctor   check that git will use this helper and that it can sign
  login    sign in to IAM Identity Center (SSO) for a profile, as "aws sso login" does
  install-remote-helper   make git-remote-codecommit run this program, for codecommit:// URLs
  get, store, erase   the operations git runs

Set up by hand (the empty helper drops helpers such as osxkeychain or store, which would keep the
expired password and then fail with 403):
  git config credential.helper ''
  git config --add credential.helper 'codecommit --profile NAME'
  git config credential.UseHttpPath true
`;

const COMMAND_HELP: Readonly<Record<string, string>> = {
  setup: `usage: git-credential-codecommit setup [--profile NAME] [--region REGION] [--global] [--remove]

Makes git use this helper: in the current repository's .git/config, or with --global in your
~/.gitconfig for CodeCommit URLs only (https://git-codecommit.*.amazonaws.com, the FIPS, China and
VPC endpoint forms), so other hosts keep their helpers. It writes an empty credential.helper (which
drops helpers such as osxkeychain or store: they would keep the 15-minute password and fail with 403
once it expired), then this program by the absolute path it was started from (a GUI git started
from the Dock or the Start menu has a short PATH) with [--profile NAME] [--region REGION], and
UseHttpPath = true. An "!aws codecommit credential-helper $@" line (and the UseHttpPath beside it)
and a bare "codecommit" line are replaced. Without --profile (or --region), the one of the line
being replaced is kept, so running it again changes nothing. --remove takes these settings out again.

Options:
  --profile NAME   the AWS profile to sign with (default: the AWS CLI's default chain)
  --region REGION  only for --host names, which name no region
  --global         ~/.gitconfig, for every CodeCommit URL, instead of this repository
  --remove         undo: remove this helper's lines and UseHttpPath (with --global: from ~/.gitconfig)

Example: what it writes in .git/config
  [credential]
  	helper =
  	helper = /usr/local/bin/git-credential-codecommit --profile dev
  	UseHttpPath = true
`,
  clone: `usage: git-credential-codecommit clone [--profile NAME] [--region REGION] <repository> [<dir>] [-- <git clone args>]

Runs git clone with the settings of "setup" passed as --config, so the clone is ready for every later
pull and push. <repository> is one of:
  demo                                                 a name: the URL is built from the region
  https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo
  codecommit::eu-west-1://dev@demo                      git-remote-codecommit's form (profile dev)
  codecommit://dev@demo                                 the same, region from the profile

Options:
  --profile NAME   the AWS profile to sign with
  --region REGION  the region of a bare name (default: the profile's region, AWS_REGION)
  -- ARGS          passed on to git clone, e.g. -- --depth 1 --branch main

Example:
  git-credential-codecommit clone --profile dev --region eu-west-1 demo
  (the same as: git clone --config credential.helper= \\
     --config 'credential.helper=codecommit --profile dev' \\
     --config credential.UseHttpPath=true https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo)
`,
  doctor: `usage: git-credential-codecommit doctor [--profile NAME] [--region REGION] [--fix] [<url>]

Checks, for the repository's origin (or <url>), that git will use this helper and that it can sign:
the git version, the helpers git runs for the URL and whether one before it stores passwords,
stored CodeCommit passwords, UseHttpPath, the helper line run as git runs it (also with a GUI's
short PATH), the profile it names, git-remote-codecommit for a codecommit:: origin, the
credentials (whose they are, from STS GetCallerIdentity), the region and the clock. Each failed
check (✗) comes with the command that fixes it. Exit status 0 when nothing failed, else 1.

Options:
  --profile NAME   check this profile instead of the one the helper line names
  --fix            first apply the safe fixes and say what was done: setup (in the helper's scope)
                   and erasing this host's stored CodeCommit passwords from every storing helper
                   git has for the URL (store, cache, osxkeychain, wincred, manager, libsecret)
  --region REGION  as for the helper: only for --host names

Example: the usual fix for a "403" after a password was stored
  git config credential.helper ''
  git config --add credential.helper 'codecommit --profile dev'
  git config credential.UseHttpPath true
`,
  login: `usage: git-credential-codecommit login [--profile NAME] [--no-browser | --use-device-code]

Signs in to IAM Identity Center (SSO) for a profile with sso_session (or the legacy sso_start_url),
as "aws sso login" does, and writes the token to ~/.aws/sso/cache where the AWS CLI and the SDKs
share it. By default it opens the browser (the authorization-code flow with PKCE) and always prints
the URL; --use-device-code (chosen by itself when no browser can open, e.g. over SSH) prints a URL
and a code to enter on any device. --no-browser prints the URL without opening it.

Example:
  git-credential-codecommit login --profile dev
  git config credential.helper ''
  git config --add credential.helper 'codecommit --profile dev'
  git config credential.UseHttpPath true
`,
  "install-remote-helper": `usage: git-credential-codecommit install-remote-helper [DIR]

Puts the name git-remote-codecommit next to this program (or in DIR), so that git runs this program
as its remote helper for codecommit:// and codecommit::REGION:// URLs, in place of AWS's Python
git-remote-codecommit. The name is a symbolic link to this program; on Windows, where links need
privileges, a copy named git-remote-codecommit.exe (make it again after an upgrade). A file of that
name that is not this program is left alone, and an earlier one on PATH is named.

Example:
  git-credential-codecommit install-remote-helper ~/.local/bin
  git clone codecommit::eu-west-1://dev@demo
`,
  get: `usage: git-credential-codecommit [--profile NAME] [--region REGION] [--host NAME]... [--debug] get

What git runs: reads git's request (key=value lines, ended by a blank line) on stdin and prints a
username and a password signed for the CodeCommit host and path, valid 15 minutes. Hosts other than
CodeCommit's (and --host names) get no answer, so git asks its next helper.

Options:
  --profile NAME   the AWS profile to sign with (default: the AWS CLI's default chain)
  --region REGION  the region for --host names, which name none
  --host NAME      also answer for this host (a VPC endpoint's private DNS name, a proxy)
  --debug          trace each step on stderr, secrets redacted

Example: configured for git (the empty helper drops storing helpers configured before it)
  git config credential.helper ''
  git config --add credential.helper 'codecommit --profile dev'
  git config credential.UseHttpPath true
`,
};

/** The help for `command`, or the program's for none or an unknown one. */
export function helpText(command: string | undefined): string {
  if (command === "store" || command === "erase") return COMMAND_HELP.get as string;
  return (command !== undefined && Object.hasOwn(COMMAND_HELP, command) ? COMMAND_HELP[command] : undefined) ?? PROGRAM_HELP;
}
