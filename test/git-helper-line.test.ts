/**
 * credential.helper values (gitcredentials(7)): the line setup writes, how the others are
 * classified (ours, the AWS CLI's, storing), and setup's plan for a config file.
 */
import { describe, expect, it } from "vitest";
import { planSetup } from "../src/git/setup.js";
import type { CredentialEntry } from "../src/git/credential-config.js";
import { classifyHelper, eraseCommand, helperLine, shellQuote, shellWords } from "../src/git/helper-line.js";

describe("helperLine", () => {
  it.each([
    [undefined, undefined, "codecommit"],
    ["dev", undefined, "codecommit --profile dev"],
    ["dev", "eu-west-1", "codecommit --profile dev --region eu-west-1"],
    ["my dev", undefined, "codecommit --profile 'my dev'"],
    ["it's", undefined, "codecommit --profile 'it'\\''s'"],
  ])("%s %s → %s", (profile, region, line) => {
    expect(helperLine(profile, region)).toBe(line);
    // What the shell gives back is what was asked for.
    const words = shellWords(line);
    if (profile !== undefined) expect(words[words.indexOf("--profile") + 1]).toBe(profile);
  });
});

describe("helperLine with the program's absolute path", () => {
  it.each([
    [["/usr/local/bin/git-credential-codecommit"], "/usr/local/bin/git-credential-codecommit --profile dev"],
    [["/opt/my tools/git-credential-codecommit"], "!'/opt/my tools/git-credential-codecommit' --profile dev"],
    [
      ["/usr/bin/node", "/usr/lib/node_modules/x/dist/git-credential-codecommit.cjs"],
      "/usr/bin/node /usr/lib/node_modules/x/dist/git-credential-codecommit.cjs --profile dev",
    ],
    [["C:\\Program Files\\cc\\git-credential-codecommit.exe"], "!'C:\\Program Files\\cc\\git-credential-codecommit.exe' --profile dev"],
  ])("%j", (program, line) => {
    expect(helperLine("dev", undefined, undefined, program)).toBe(line);
    // Read back as ours, with its profile, as setup's migration and doctor need.
    expect(classifyHelper(line)).toEqual({ kind: "ours", profile: "dev", hosts: [] });
  });
});

describe("classifyHelper", () => {
  it.each([
    ["codecommit", { kind: "ours", hosts: [] }],
    ["codecommit --profile dev --host my.proxy --host=b.proxy", { kind: "ours", profile: "dev", hosts: ["my.proxy", "b.proxy"] }],
    ["/usr/local/bin/git-credential-codecommit --profile=dev", { kind: "ours", profile: "dev", hosts: [] }],
    ["!aws codecommit credential-helper $@", { kind: "aws-cli" }],
    ["!aws codecommit credential-helper --profile x $@", { kind: "aws-cli", profile: "x" }],
    ["!aws --profile 'x y' codecommit credential-helper $@", { kind: "aws-cli", profile: "x y" }],
    ["!/usr/local/bin/aws --region eu-west-1 codecommit credential-helper $@", { kind: "aws-cli", region: "eu-west-1" }],
    ["store", { kind: "storing", name: "store" }],
    ["store --file /tmp/x", { kind: "storing", name: "store" }],
    ["cache --timeout 300", { kind: "storing", name: "cache" }],
    ["osxkeychain", { kind: "storing", name: "osxkeychain" }],
    ["manager-core", { kind: "storing", name: "manager-core" }],
    ["/usr/local/share/gcm-core/git-credential-manager", { kind: "storing", name: "manager" }],
    ["!gh auth git-credential", { kind: "other", name: "gh" }],
    ["!aws sts get-caller-identity", { kind: "other", name: "aws" }],
  ])("%s", (value, kind) => {
    expect(classifyHelper(value)).toEqual(kind);
  });
});

describe("eraseCommand", () => {
  it("runs the helper as git would, with the request on stdin", () => {
    const req = "printf 'protocol=https\\nhost=git-codecommit.us-east-1.amazonaws.com\\n\\n'";
    expect(eraseCommand("osxkeychain", "git-codecommit.us-east-1.amazonaws.com")).toBe(`${req} | git credential-osxkeychain erase`);
    expect(eraseCommand("store --file /x", "git-codecommit.us-east-1.amazonaws.com")).toBe(`${req} | git credential-store --file /x erase`);
    expect(eraseCommand("!f() { echo; }; f", "git-codecommit.us-east-1.amazonaws.com")).toBe(`${req} | f() { echo; }; f erase`);
    expect(eraseCommand("/opt/helper", "git-codecommit.us-east-1.amazonaws.com")).toBe(`${req} | /opt/helper erase`);
  });
});

const entry = (url: string | undefined, name: string, value: string): CredentialEntry => ({ scope: "local", url, name, value });

describe("planSetup", () => {
  const local = { profile: "dev", region: undefined, global: false };
  it("plans all three settings for an empty file, nothing for a file already set up", () => {
    expect(planSetup([], local)).toEqual([
      { op: "helpers", url: undefined, values: ["", "codecommit --profile dev"], replaced: [] },
      { op: "usehttppath", url: undefined },
    ]);
    const done = [
      entry(undefined, "helper", ""),
      entry(undefined, "helper", "codecommit --profile dev"),
      entry(undefined, "usehttppath", "true"),
    ];
    expect(planSetup(done, local)).toEqual([]);
    // Without --profile, the line already there is kept: a second run changes nothing.
    expect(planSetup(done, { ...local, profile: undefined })).toEqual([]);
  });
  it("replaces other helpers, and a different profile when one is asked for", () => {
    const entries = [
      entry(undefined, "helper", "store"),
      entry(undefined, "helper", "codecommit --profile old"),
      entry(undefined, "usehttppath", "true"),
    ];
    expect(planSetup(entries, local)).toEqual([
      { op: "helpers", url: undefined, values: ["", "codecommit --profile dev"], replaced: ["store", "codecommit --profile old"] },
    ]);
  });
  it("takes the profile of an AWS CLI line, and removes such a line outside the sections it writes", () => {
    const entries = [
      entry(undefined, "helper", "!aws codecommit credential-helper --profile x $@"),
      entry("https://git-codecommit.us-east-2.amazonaws.com", "helper", "!aws codecommit credential-helper $@"),
    ];
    expect(planSetup(entries, { profile: undefined, region: undefined, global: false })).toEqual([
      {
        op: "helpers",
        url: undefined,
        values: ["", "codecommit --profile x"],
        replaced: ["!aws codecommit credential-helper --profile x $@"],
      },
      { op: "usehttppath", url: undefined },
      { op: "remove", url: "https://git-codecommit.us-east-2.amazonaws.com", value: "!aws codecommit credential-helper $@" },
    ]);
  });
  it("--global leaves a GitHub-scoped AWS-looking line alone", () => {
    const entries = [entry("https://github.com", "helper", "!aws codecommit credential-helper $@")];
    expect(planSetup(entries, { profile: undefined, region: undefined, global: true }).filter((c) => c.op === "remove")).toEqual([]);
  });
});

describe("shellQuote", () => {
  it("leaves plain words alone and single-quotes the rest, quotes included", () => {
    expect(shellQuote("/usr/local/bin/git-credential-codecommit")).toBe("/usr/local/bin/git-credential-codecommit");
    expect(shellQuote("C:\\Program Files\\gcc\\git-credential-codecommit.exe")).toBe(
      "'C:\\Program Files\\gcc\\git-credential-codecommit.exe'",
    );
    expect(shellQuote("it's $HOME `x`")).toBe(`'it'\\''s $HOME \`x\`'`);
    expect(shellQuote("a=b")).toBe("'a=b'");
    expect(shellQuote("us-east-1,eu@x:1%+")).toBe("us-east-1,eu@x:1%+");
    expect(shellQuote("")).toBe("''");
  });
});
