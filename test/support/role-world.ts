/**
 * The smallest world in which `get` needs the SDK: a static `base` profile and a `cross` profile
 * that assumes a role with it, against an STS stub that knows the base key. For tests that prove a
 * build loads its SDK (the executable's chunks, a cross-compiled artifact).
 */
import type { IsolatedEnv } from "./isolated-env.js";
import { startStsStub, type StsStub } from "./sts-stub.js";

const BASE_KEY = "AKIABASEEXAMPLE00001";
const BASE_SECRET = "base-secret-1111111111";

/** Writes the two profiles into `world` and starts the stub; `env` points STS at it. */
export async function roleWorld(world: IsolatedEnv): Promise<{ sts: StsStub; env: Record<string, string> }> {
  const sts = await startStsStub();
  sts.registerStatic(BASE_KEY, BASE_SECRET);
  world.writeConfig(
    `[profile base]\naws_access_key_id = ${BASE_KEY}\naws_secret_access_key = ${BASE_SECRET}\n` +
      "[profile cross]\nrole_arn = arn:aws:iam::222222222222:role/dev\nsource_profile = base\nregion = us-east-1\n",
  );
  return { sts, env: { ...world.env, AWS_ENDPOINT_URL_STS: sts.endpoint } };
}

/** The username line of the answer made from the stub's first session. */
export function firstSessionUser(sts: StsStub): string {
  return `username=${sts.issued[0]?.accessKeyId}%${sts.issued[0]?.sessionToken}`;
}
