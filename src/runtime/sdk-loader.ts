/** Loads a package of sdk.ts, on first use. */
import type { packages } from "./sdk.js";

type Packages = typeof packages;

let loaded: Promise<Packages> | undefined;

function sdkPackages(): Promise<Packages> {
  return (loaded ??= import("./sdk.js").then((m) => m.packages));
}

/** One of sdk.ts's packages, loaded on first use. */
export async function sdkPackage<K extends keyof Packages>(name: K): Promise<Awaited<ReturnType<Packages[K]>>> {
  return (await sdkPackages())[name]() as Awaited<ReturnType<Packages[K]>>;
}
