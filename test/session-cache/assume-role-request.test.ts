/** The AssumeRole request the AWS CLI sends for a role profile, beyond the arguments of its cache key. */
import { describe, expect, it } from "vitest";
import { cliRequest } from "../../src/session-cache/assume-role-request.js";

const ROLE = "arn:aws:iam::123456789012:role/dev";
const MFA = "arn:aws:iam::111111111111:mfa/dev";
const NOW = new Date("2030-01-01T00:00:00Z");

describe("the AssumeRole request", () => {
  it("sends what the profile says, as the CLI does, not the SDK's defaults", () => {
    expect(cliRequest({ RoleArn: ROLE }, new Date("2030-01-01T00:00:00Z"), undefined)).toEqual({
      RoleArn: ROLE,
      RoleSessionName: "botocore-session-1893456000",
    });
    expect(
      cliRequest({ RoleArn: ROLE, RoleSessionName: "alice", ExternalId: "x", DurationSeconds: 900, SerialNumber: MFA }, NOW, "123456"),
    ).toEqual({
      RoleArn: ROLE,
      RoleSessionName: "alice",
      ExternalId: "x",
      DurationSeconds: 900,
      SerialNumber: MFA,
      TokenCode: "123456",
    });
  });
});
