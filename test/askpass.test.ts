/**
 * Choosing and starting the askpass program as git does (git's prompt.c, and compat/mingw.c on
 * Windows), with the file system and the program run replaced by fakes.
 */
import { describe, expect, it } from "vitest";
import { askpassCommand, askpassProgram, askThrough, shebangInterpreter, type RunSync, type ScriptProbe } from "../src/git/askpass.js";
import { askpassPrompt, promptMfaCode } from "../src/credentials/mfa-prompt.js";

const PROMPT = "Password for 'arn:aws:iam::111111111111:mfa/dev': ";

describe("askpassProgram: GIT_ASKPASS, then core.askPass, then SSH_ASKPASS", () => {
  const cases: [string, Record<string, string>, string | undefined, string | undefined][] = [
    ["GIT_ASKPASS first", { GIT_ASKPASS: "/ide/askpass.sh", SSH_ASKPASS: "/usr/bin/ssh-askpass" }, "/cfg/askpass", "/ide/askpass.sh"],
    ["core.askPass next", { SSH_ASKPASS: "/usr/bin/ssh-askpass" }, "/cfg/askpass", "/cfg/askpass"],
    ["SSH_ASKPASS last", { SSH_ASKPASS: "/usr/bin/ssh-askpass" }, undefined, "/usr/bin/ssh-askpass"],
    ["none", {}, undefined, undefined],
    ["an empty GIT_ASKPASS turns all off", { GIT_ASKPASS: "", SSH_ASKPASS: "/usr/bin/ssh-askpass" }, "/cfg/askpass", undefined],
    ["an empty core.askPass turns SSH_ASKPASS off", { SSH_ASKPASS: "/usr/bin/ssh-askpass" }, "", undefined],
  ];
  it.each(cases)("%s", (_name, env, core, expected) => {
    expect(askpassProgram(env, () => core)).toBe(expected);
  });

  it("does not run git for core.askPass when GIT_ASKPASS decides", () => {
    expect(
      askpassProgram({ GIT_ASKPASS: "/a" }, () => {
        throw new Error("git was run");
      }),
    ).toBe("/a");
  });
});

describe("shebangInterpreter: the base name git for Windows runs", () => {
  it.each([
    ["#!/bin/sh\necho", "sh"],
    ["#!/usr/bin/sh -e\r\n", "sh"],
    ["#!/usr/bin/env bash\n", "env"],
    ["#!C:\\tools\\bash.exe\n", "bash.exe"],
    ["#!sh\n", undefined],
    ["#!/bin/sh", undefined],
    ["MZ\x90\x00", undefined],
    [undefined, undefined],
  ])("%j → %s", (head, expected) => {
    expect(shebangInterpreter(head)).toBe(expected);
  });
});

describe("askpassCommand", () => {
  const files: Record<string, string> = {
    "C:\\Program Files\\Microsoft VS Code\\resources\\app\\extensions\\git\\dist\\askpass.sh":
      "#!/bin/sh\nVSCODE_GIT_ASKPASS_PIPE=`mktemp`\n",
    "C:\\Program Files\\Git\\usr\\bin\\sh.exe": "MZ",
    "C:\\tools\\askpass.exe": "MZ",
    "C:\\tools\\plain-askpass": "echo 123456\n",
    "C:\\tools\\ask": "#!/bin/sh\n",
  };
  const probe: ScriptProbe = { head: (p) => files[p], isFile: (p) => p in files };
  const env = { PATH: "C:\\Windows\\system32;C:\\Program Files\\Git\\usr\\bin\\;C:\\tools" };
  const vscode = "C:\\Program Files\\Microsoft VS Code\\resources\\app\\extensions\\git\\dist\\askpass.sh";

  it("elsewhere than Windows: the program itself, the prompt its one argument", () => {
    expect(askpassCommand("/opt/ide/askpass.sh", PROMPT, "linux", env, probe)).toEqual({ command: "/opt/ide/askpass.sh", args: [PROMPT] });
    expect(askpassCommand("/opt/ide/askpass.sh", PROMPT, "darwin", env, probe)).toEqual({ command: "/opt/ide/askpass.sh", args: [PROMPT] });
  });

  it("Windows, VS Code's askpass.sh: git's sh.exe from PATH runs the script, then the prompt", () => {
    expect(askpassCommand(vscode, PROMPT, "win32", env, probe)).toEqual({
      command: "C:\\Program Files\\Git\\usr\\bin\\sh.exe",
      args: [vscode, PROMPT],
    });
  });

  it("Windows, a script found by name on PATH", () => {
    expect(askpassCommand("ask", PROMPT, "win32", env, probe)).toEqual({
      command: "C:\\Program Files\\Git\\usr\\bin\\sh.exe",
      args: ["C:\\tools\\ask", PROMPT],
    });
  });

  it("Windows, an .exe or a file without #! is started by itself", () => {
    expect(askpassCommand("C:\\tools\\askpass.exe", PROMPT, "win32", env, probe)).toEqual({
      command: "C:\\tools\\askpass.exe",
      args: [PROMPT],
    });
    // (A bare name stays bare: Windows' own search finds askpass.exe on PATH.)
    expect(askpassCommand("askpass", PROMPT, "win32", env, probe)).toEqual({ command: "askpass", args: [PROMPT] });
    expect(askpassCommand("C:\\tools\\plain-askpass", PROMPT, "win32", env, probe)).toEqual({
      command: "C:\\tools\\plain-askpass",
      args: [PROMPT],
    });
  });

  it("Windows, no sh.exe on PATH: left to fail as a program, which is said as a failed askpass", () => {
    expect(askpassCommand(vscode, PROMPT, "win32", { PATH: "C:\\Windows" }, probe)).toEqual({ command: vscode, args: [PROMPT] });
  });
});

describe("askThrough: the answer as git reads it", () => {
  const ran =
    (stdout: string, status: number | null = 0, signal: string | null = null, error?: Error): RunSync =>
    () => ({ stdout, status, signal, ...(error ? { error } : {}) });
  const cmd = { command: "/a", args: [PROMPT] };

  it.each([
    ["123456\n", "123456"],
    ["123456\r\n", "123456"],
    ["123456\nsecond line\n", "123456"],
    ["123456", "123456"],
    ["\n", ""],
    ["", ""],
  ])("stdout %j → %j", (stdout, answer) => {
    expect(askThrough(cmd, {}, ran(stdout))).toEqual({ ok: true, answer });
  });

  it("a non-zero status, a signal, a start failure", () => {
    expect(askThrough(cmd, {}, ran("123456\n", 1))).toEqual({ ok: false, why: "it exited with status 1" });
    expect(askThrough(cmd, {}, ran("", null, "SIGTERM"))).toEqual({ ok: false, why: "it was ended by SIGTERM" });
    expect(askThrough(cmd, {}, ran("", null, null, Object.assign(new Error("spawn /a ENOENT"), { code: "ENOENT" })))).toEqual({
      ok: false,
      why: "it could not be started (ENOENT)",
    });
  });
});

describe("promptMfaCode through an askpass program", () => {
  const serial = "arn:aws:iam::111111111111:mfa/dev";
  it("gives git's prompt as the one argument, nothing of the code in the environment, and returns the code", () => {
    const seen: { command: string; args: readonly string[]; env: Record<string, string | undefined> }[] = [];
    const runSync: RunSync = (command, env) => {
      seen.push({ ...command, env });
      return { stdout: "654321\n", status: 0, signal: null };
    };
    const code = promptMfaCode(serial, "mfa", { GIT_ASKPASS: "/ide/askpass" }, "linux", {
      runSync,
      probe: { head: () => undefined, isFile: () => false },
    });
    expect(code).toBe("654321");
    expect(askpassPrompt(serial)).toBe(PROMPT);
    expect(seen.map((s) => [s.command, s.args])).toEqual([["/ide/askpass", [PROMPT]]]);
    expect(JSON.stringify(seen[0]?.env)).not.toContain("654321");
  });
});
