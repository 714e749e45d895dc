/**
 * The shape of src/: each folder answers one question, and imports point one way, from the commands
 * down to the runtime: commands → credentials → {session-cache, aws-client, sso} → aws-config →
 * runtime. Read from the sources (test/support/import-graph.ts), so a new import that turns an
 * arrow round fails here, before anyone has to untangle it.
 */
import { describe, expect, it } from "vitest";
import { cycles, type Edge, importGraph } from "./support/import-graph.js";

const graph = importGraph();

/** The imports from files under `from` of files under one of `forbidden`, as "file -> file". */
function crossing(from: string, forbidden: readonly string[]): string[] {
  return graph.filter((e: Edge) => e.from.startsWith(from) && forbidden.some((f) => e.to.startsWith(f))).map((e) => `${e.from} -> ${e.to}`);
}

describe("the import graph of src/", () => {
  it("has no circle", () => {
    // Type-only imports count too: a circle of types still means neither file can be read, moved or
    // tested without the other, even if the bundle drops the import.
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a circle when there is one (the check itself works)", () => {
    const edges: Edge[] = [
      { from: "a.ts", to: "b.ts", kind: "static" },
      { from: "b.ts", to: "c.ts", kind: "dynamic" },
      { from: "c.ts", to: "a.ts", kind: "type" },
      { from: "c.ts", to: "d.ts", kind: "static" },
    ];
    expect(cycles(edges)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("aws-config/ (what the shared files say) imports none of the layers that use it", () => {
    expect(
      crossing("src/aws-config/", [
        "src/credentials/",
        "src/session-cache/",
        "src/aws-client/",
        "src/sso/",
        "src/commands/",
        "src/cli.ts",
        "src/main.ts",
      ]),
    ).toEqual([]);
  });

  it("runtime/ (how this program touches its runtime) imports nothing of ours outside runtime/", () => {
    expect(
      graph.filter((e) => e.from.startsWith("src/runtime/") && !e.to.startsWith("src/runtime/")).map((e) => `${e.from} -> ${e.to}`),
    ).toEqual([]);
  });

  it("nothing below the commands imports a command or cli.ts", () => {
    expect(
      graph
        .filter(
          (e) =>
            !e.from.startsWith("src/commands/") &&
            e.from !== "src/cli.ts" &&
            e.from !== "src/main.ts" &&
            (e.to.startsWith("src/commands/") || e.to === "src/cli.ts"),
        )
        .map((e) => `${e.from} -> ${e.to}`),
    ).toEqual([]);
  });
});
