/**
 * A temporary, isolated world for one test: its own HOME, AWS config and credentials files, git
 * config, and an environment with nothing inherited that could reach AWS, IMDS or a real git setup.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testPath } from "./test-path.js";

export interface IsolatedEnv {
  readonly dir: string;
  readonly home: string;
  readonly configFile: string;
  readonly credentialsFile: string;
  /** The environment to run the helper, git or the AWS CLI with. */
  readonly env: Record<string, string>;
  writeConfig(text: string): void;
  writeCredentials(text: string): void;
  cleanup(): void;
}

/**
 * Variables that would let the parent's AWS, git or proxy setup leak into a test: a proxy set on
 * the machine would carry the tests' loopback traffic (the proxy tests set their own).
 */
const DROP = /^(AWS_|GIT_|SSH_|XDG_CONFIG_HOME$|HOME$|USERPROFILE$|(https?|no|all)_proxy$)/i;

export function isolatedEnv(extra: Record<string, string> = {}): IsolatedEnv {
  const dir = mkdtempSync(join(tmpdir(), "gcc-test-"));
  const home = join(dir, "home");
  mkdirSync(join(home, ".aws"), { recursive: true });
  const configFile = join(home, ".aws", "config");
  const credentialsFile = join(home, ".aws", "credentials");
  const gitConfig = join(dir, "gitconfig");
  writeFileSync(gitConfig, "");
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !DROP.test(k)) base[k] = v;
  const env: Record<string, string> = {
    ...base,
    // The caller's tools, but no installed copy of this program (test-path.ts).
    PATH: testPath(process.env.PATH),
    HOME: home,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    // Never let any credential chain reach 169.254.169.254 from a test.
    AWS_EC2_METADATA_DISABLED: "true",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: gitConfig,
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.invalid",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.invalid",
    ...extra,
  };
  return {
    dir,
    home,
    configFile,
    credentialsFile,
    env,
    writeConfig: (text) => writeFileSync(configFile, text),
    writeCredentials: (text) => writeFileSync(credentialsFile, text),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
