/**
 * `login_session` profiles, signed in with `aws login`: the AWS CLI's login cache read by
 * src/sso/login-session.ts (a fresh entry needs no network; a due one is refreshed through the
 * SDK's fromLoginCredentials), with this run's proxy/CA agents and timeouts, bounded by its budget.
 */
import type { LoginSource } from "../../aws-config/credential-source.js";
import type { SigningCredentials } from "../../password.js";
import { loginSessionCredentials } from "../../sso/login-session.js";
import type { SourceContext } from "../source-context.js";

export async function loginCredentials(source: LoginSource, ctx: SourceContext): Promise<SigningCredentials> {
  return ctx.deadline.race(loginSessionCredentials({ ...source, region: source.region || ctx.hostRegion }, { env: ctx.env, now: ctx.now, trace: ctx.trace, client: ctx }));
}
