/** The part of the `debug` package (a dependency of the proxy agents) that network.ts silences. */
declare module "debug" {
  const debug: { log: (...args: unknown[]) => unknown };
  export default debug;
}
