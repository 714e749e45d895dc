/** Every branch of the error explainer: the exact line a user sees for each kind of failure. */
import { describe, expect, it } from "vitest";
import { DeadlineExceeded } from "../src/aws-client/deadline.js";
import {
  cleanMessage,
  explainCredentialError,
  identityCheckFailure,
  networkSettingsFailure,
  type Peer,
} from "../src/aws-client/explain-error.js";
import { networkSettings } from "../src/aws-client/network.js";
import { HelperError } from "../src/errors.js";

const ROLE = "arn:aws:iam::222222222222:role/dev";
const direct: Peer = {
  name: "STS",
  profile: "cross",
  region: "eu-west-1",
  network: networkSettings({}, { name: "cross" }),
  budgetMs: 9_000,
  endpoint: new URL("https://sts.eu-west-1.amazonaws.com"),
  roleArn: ROLE,
};
const proxied: Peer = { ...direct, network: networkSettings({ HTTPS_PROXY: "http://user:pw-123456@corp:3128" }, { name: "cross" }) };
const withCa: Peer = { ...direct, network: networkSettings({ AWS_CA_BUNDLE: "/etc/corp-ca.pem" }, { name: "cross" }) };

/** An error shaped like the SDK's service exceptions. */
function awsError(name: string, message: string, status: number, requestId?: string, fault = "client"): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status, ...(requestId ? { requestId } : {}) },
  });
}
function sysError(code: string, message = `connect ${code} 1.2.3.4:443`): Error {
  return Object.assign(new Error(message), { code });
}
const line = (err: unknown, peer: Peer = direct): string => explainCredentialError(err, peer).userLine();

describe("explainCredentialError", () => {
  it("a HelperError passes through unchanged", () => {
    const e = new HelperError("mfa", "x", "y");
    expect(explainCredentialError(e, direct)).toBe(e);
  });

  it("an untrusted certificate names the CA setting in effect, or says how to set one", () => {
    expect(line(sysError("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"))).toBe(
      `git-credential-codecommit: the TLS certificate of STS at sts.eu-west-1.amazonaws.com is not trusted (SELF_SIGNED_CERT_IN_CHAIN) for profile cross role ${ROLE}. If your network inspects TLS, set AWS_CA_BUNDLE (or ca_bundle in the profile) to its CA bundle`,
    );
    expect(line(sysError("UNABLE_TO_GET_ISSUER_CERT_LOCALLY"), withCa)).toBe(
      `git-credential-codecommit: the TLS certificate of STS at sts.eu-west-1.amazonaws.com is not trusted (UNABLE_TO_GET_ISSUER_CERT_LOCALLY) for profile cross role ${ROLE}, trusting only the CAs in /etc/corp-ca.pem (AWS_CA_BUNDLE). Check that /etc/corp-ca.pem (AWS_CA_BUNDLE) holds the CA that signs it`,
    );
  });

  it("the budget running out: no answer within 9 s", () => {
    expect(line(new DeadlineExceeded("no answer within 9 s"))).toBe(
      `git-credential-codecommit: could not reach STS at sts.eu-west-1.amazonaws.com for profile cross role ${ROLE}: no answer within 9 s. Check the network, or set HTTPS_PROXY if AWS is reached through a proxy`,
    );
  });

  it("a refused, unresolvable or reset connection, said in words", () => {
    expect(line(sysError("ECONNREFUSED"))).toContain(": connection refused. ");
    expect(line(sysError("ENOTFOUND"))).toContain(": host name not found. ");
    expect(line(sysError("ECONNRESET"))).toContain(": connection closed. ");
    expect(line(Object.assign(new Error("outer"), { cause: sysError("EHOSTUNREACH") }))).toContain(": EHOSTUNREACH. ");
  });

  it("through a proxy, a connection failure is the proxy's, named without its password", () => {
    expect(line(sysError("ECONNREFUSED"), proxied)).toBe(
      `git-credential-codecommit: the proxy http://corp:3128 (HTTPS_PROXY) could not be used to reach STS at sts.eu-west-1.amazonaws.com for profile cross role ${ROLE}: connection refused. Check that the proxy is running and HTTPS_PROXY/NO_PROXY are right`,
    );
    expect(line(new DeadlineExceeded("x"), proxied)).toBe(
      `git-credential-codecommit: could not reach STS at sts.eu-west-1.amazonaws.com for profile cross role ${ROLE}, through proxy http://corp:3128 (HTTPS_PROXY): no answer within 9 s. Check that the proxy allows CONNECT to AWS, or set NO_PROXY for this host`,
    );
  });

  it("a proxy asking for authentication (407)", () => {
    expect(line(awsError("Error", "", 407), proxied)).toBe(
      "git-credential-codecommit: the proxy http://corp:3128 (HTTPS_PROXY) asks for authentication (HTTP 407) to reach STS at sts.eu-west-1.amazonaws.com for profile cross role arn:aws:iam::222222222222:role/dev. Put the proxy's user and password in HTTPS_PROXY (http://user:password@host:port)",
    );
  });

  it("AccessDenied", () => {
    expect(
      line(
        awsError(
          "AccessDenied",
          "User: arn:aws:iam::111111111111:user/dev is not authorized to perform: sts:AssumeRole on resource: x",
          403,
        ),
      ),
    ).toBe(
      `git-credential-codecommit: STS denied assuming role ${ROLE} for profile cross in eu-west-1: User: arn:aws:iam::111111111111:user/dev is not authorized to perform: sts:AssumeRole on resource: x. Check the role's trust policy and the source identity's sts:AssumeRole permission`,
    );
  });

  it("an SSO token the portal no longer accepts", () => {
    expect(
      line(awsError("UnauthorizedException", "Session token not found or invalid", 401), {
        ...direct,
        name: "SSO",
        roleArn: undefined,
        endpoint: undefined,
      }),
    ).toBe(
      'git-credential-codecommit: the SSO session for profile cross has expired or was never started. Run "git-credential-codecommit login --profile cross"',
    );
  });

  it("the source credentials refused (expired token, unknown key)", () => {
    expect(line(awsError("ExpiredToken", "The security token included in the request is expired", 400))).toBe(
      `git-credential-codecommit: STS at sts.eu-west-1.amazonaws.com refused the credentials used to assume role ${ROLE} for profile cross: ExpiredToken: The security token included in the request is expired. Refresh the source profile's credentials`,
    );
  });

  it("500, 503, throttling and garbage: AWS answered with an error, with the request id", () => {
    expect(line(awsError("InternalFailure", "x", 500, "req-500", "server"))).toBe(
      `git-credential-codecommit: STS at sts.eu-west-1.amazonaws.com answered with an error (HTTP 500 InternalFailure, request id req-500) for profile cross role ${ROLE}. Try again later; if it persists, check the endpoint and proxy settings`,
    );
    expect(line(awsError("Error", "", 503, "req-503", "server"))).toContain("answered with an error (HTTP 503, request id req-503)");
    expect(line(awsError("Throttling", "Rate exceeded", 400, "req-t"))).toContain(
      "answered with an error (HTTP 400 Throttling, request id req-t)",
    );
    const garbage = Object.assign(
      new Error("Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object."),
      { $metadata: { httpStatusCode: 200 } },
    );
    expect(line(garbage)).toBe(
      `git-credential-codecommit: STS at sts.eu-west-1.amazonaws.com answered with an error (a reply that is not a valid answer) for profile cross role ${ROLE}. Try again later; if it persists, check the endpoint and proxy settings`,
    );
    expect(line(Object.assign(new Error("STS answered without complete credentials"), { name: "MalformedReply" }))).toContain(
      "answered with an error (a reply that is not a valid answer)",
    );
  });

  it("another refusal from AWS: its code and message", () => {
    expect(line(awsError("ValidationError", "1 validation error detected.", 400, "req-v"))).toBe(
      `git-credential-codecommit: STS at sts.eu-west-1.amazonaws.com refused the request for profile cross role ${ROLE}: ValidationError: 1 validation error detected (request id req-v). Check the profile's settings`,
    );
  });

  it("anything else: one clean line, no SDK prefix, no doubled period", () => {
    expect(line(new Error("@smithy/node-http-handler - [ERROR] something odd happened.\n    at x"))).toBe(
      `git-credential-codecommit: could not get credentials from STS at sts.eu-west-1.amazonaws.com for profile cross role ${ROLE}: something odd happened. Run again with --debug for details`,
    );
  });

  it("cleanMessage", () => {
    expect(cleanMessage("@aws-sdk/credential-provider-http - oops..")).toBe("oops");
    expect(cleanMessage("plain\nsecond line")).toBe("plain");
  });
});

describe("networkSettingsFailure (any command's call, login's included)", () => {
  it("explains what the proxy and CA settings explain, and nothing else", () => {
    const oidc = {
      ...proxied,
      name: "IAM Identity Center (OIDC)" as const,
      endpoint: new URL("https://oidc.eu-west-1.amazonaws.com"),
      roleArn: undefined,
    };
    expect(networkSettingsFailure(sysError("ECONNREFUSED"), oidc)?.userLine()).toBe(
      "git-credential-codecommit: the proxy http://corp:3128 (HTTPS_PROXY) could not be used to reach IAM Identity Center (OIDC) at oidc.eu-west-1.amazonaws.com for profile cross: connection refused. Check that the proxy is running and HTTPS_PROXY/NO_PROXY are right",
    );
    expect(networkSettingsFailure(sysError("ECONNREFUSED"), { ...oidc, network: direct.network })).toBeUndefined();
    expect(networkSettingsFailure(awsError("AccessDeniedException", "no", 400), oidc)).toBeUndefined();
  });
});

describe("identityCheckFailure (doctor's GetCallerIdentity)", () => {
  const check = {
    label: "profile dev",
    endpoint: new URL("https://sts.eu-west-1.amazonaws.com"),
    network: direct.network,
    reconfigure: "aws configure --profile dev",
  };

  it("keys STS refuses: the command that replaces them", () => {
    expect(
      identityCheckFailure(awsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403), check),
    ).toEqual({
      problem:
        "credentials from profile dev were refused by STS (https://sts.eu-west-1.amazonaws.com): InvalidClientTokenId: The security token included in the request is invalid.",
      fix: "aws configure --profile dev",
    });
  });

  it("no answer: names the proxy in effect, and the settings to check", () => {
    expect(identityCheckFailure(sysError("ECONNRESET", "socket hang up"), { ...check, network: proxied.network })).toEqual({
      problem:
        "could not reach STS (https://sts.eu-west-1.amazonaws.com, through proxy http://corp:3128 (HTTPS_PROXY)) to check the credentials from profile dev: Error: socket hang up",
      fix: "check the network, HTTPS_PROXY/NO_PROXY and AWS_CA_BUNDLE, then run doctor again",
    });
  });

  it("a CA bundle that cannot be read: its own line and fix", () => {
    const err = new HelperError(
      "network-config",
      "the CA bundle /nope.pem given by AWS_CA_BUNDLE cannot be read (ENOENT)",
      "Point AWS_CA_BUNDLE at a readable PEM file, or unset it",
    );
    expect(identityCheckFailure(err, check)).toEqual({
      problem:
        "could not check the credentials from profile dev with STS (https://sts.eu-west-1.amazonaws.com): the CA bundle /nope.pem given by AWS_CA_BUNDLE cannot be read (ENOENT)",
      fix: "Point AWS_CA_BUNDLE at a readable PEM file, or unset it",
    });
  });
});
