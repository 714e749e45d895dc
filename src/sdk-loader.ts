/**
 * Loads a package of sdk.ts. From the sources (tests, typecheck) and in builds that keep one bundle
 * (the npm bin, the Windows executable), sdk.ts is an ordinary module. The native Linux and macOS
 * builds define SDK_BUNDLE, the name of sdk.ts's own bundle beside the program's in the executable's
 * embedded file system (`/$bunfs/root`): the bundler cannot see a require of a computed path, so
 * none of the SDK lands in the program's bundle.
 */
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
