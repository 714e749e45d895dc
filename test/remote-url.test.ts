/**
 * The remote URL grammar of AWS's Python git-remote-codecommit. The cases of its own
 * test suite (test/context_test.py: with and without profile, region form, other partitions,
 * malformed URLs, a foreign scheme), restated here, plus where this parser is deliberately different:
 * any well-formed region is taken (the Python tool refuses regions its botocore does not list), and
 * a repository that is not a CodeCommit repository name is refused before anything runs.
 */
import { describe, expect, it } from "vitest";
import { HelperError } from "../src/errors.js";
import { parseRemoteUrl, type RemoteUrl } from "../src/remote/remote-url.js";

const FORMS = "Use codecommit://[PROFILE@]REPOSITORY or codecommit::REGION://[PROFILE@]REPOSITORY";

describe("parseRemoteUrl: URLs the Python tool accepts", () => {
  // As git passes them: the region form has already lost its "codecommit::".
  const accepted: ReadonlyArray<readonly [string, RemoteUrl]> = [
    ["codecommit://test_repo", { repository: "test_repo", profile: undefined, region: undefined }],
    ["codecommit://profile@test_repo", { repository: "test_repo", profile: "profile", region: undefined }],
    ["ca-central-1://test_repo", { repository: "test_repo", profile: undefined, region: "ca-central-1" }],
    ["ca-central-1://profile@test_repo", { repository: "test_repo", profile: "profile", region: "ca-central-1" }],
    ["us-gov-west-1://profile@repo", { repository: "repo", profile: "profile", region: "us-gov-west-1" }],
    ["cn-north-1://MyRepo", { repository: "MyRepo", profile: undefined, region: "cn-north-1" }],
    // urlparse lower-cases the scheme, so the region does not depend on how it was typed.
    ["US-EAST-2://demo-profile@MyRepositoryName", { repository: "MyRepositoryName", profile: "demo-profile", region: "us-east-2" }],
    ["CodeCommit://demo", { repository: "demo", profile: undefined, region: undefined }],
    // Only the first @ separates: a profile name is anything before it.
    ["codecommit://my.profile:with-colon@re.po-1_x", { repository: "re.po-1_x", profile: "my.profile:with-colon", region: undefined }],
    // The authority ends at "/", as in urlparse; a trailing slash is harmless.
    ["codecommit://demo/", { repository: "demo", profile: undefined, region: undefined }],
  ];
  for (const [url, expected] of accepted) {
    it(url, () => {
      expect(parseRemoteUrl(url)).toEqual(expected);
    });
  }
});

describe("parseRemoteUrl: regions by shape, not by a list", () => {
  // The Python tool raises RegionNotAvailable for these unless its botocore is new enough.
  for (const region of ["yy-central-1", "eu-isoe-west-1", "ap-southeast-7", "mx-central-1"]) {
    it(`${region} is taken as written`, () => {
      expect(parseRemoteUrl(`${region}://repo`).region).toBe(region);
    });
  }
});

describe("parseRemoteUrl: malformed URLs are one error naming the URL and both forms", () => {
  const refused: ReadonlyArray<readonly [string, string]> = [
    // The Python tool's malformed list.
    ["", 'the remote URL "" has no scheme'],
    ["boom", 'the remote URL "boom" has no scheme'],
    ["codecommit:/test_repo", 'the remote URL "codecommit:/test_repo" needs "//" after "codecommit:"'],
    ["codecommit//test_repo", 'the remote URL "codecommit//test_repo" has no scheme'],
    ["://test_repo", 'the remote URL "://test_repo" has no scheme'],
    ["codecommit://", 'the remote URL "codecommit://" names no repository'],
    ["codecommit:://test_repo", 'the remote URL "codecommit:://test_repo" needs "//" after "codecommit:"'],
    ["codecommit:///test_repo", 'the remote URL "codecommit:///test_repo" names no repository'],
    // A foreign scheme after "codecommit::" (the Python tool's github:// case).
    [
      "github://test_repo",
      'the remote URL "codecommit::github://test_repo" starts with "github", which is neither codecommit nor an AWS region',
    ],
    ["us-east://repo", 'the remote URL "codecommit::us-east://repo" starts with "us-east", which is neither codecommit nor an AWS region'],
    // Stricter than the Python tool: nothing that would only become a URL CodeCommit refuses.
    ["codecommit://repo/sub", 'the remote URL "codecommit://repo/sub" has "/sub" after the repository name'],
    ["codecommit://repo?x=1", 'the remote URL "codecommit://repo?x=1" has "?x=1" after the repository name'],
    ["codecommit://@repo", 'the remote URL "codecommit://@repo" has an empty or unprintable profile before @'],
    [
      "codecommit://p@r@po",
      'the remote URL "codecommit://p@r@po" names "r@po", which is not a CodeCommit repository name (letters, digits, ".", "_", "-")',
    ],
    [
      "codecommit://my repo",
      'the remote URL "codecommit://my repo" names "my repo", which is not a CodeCommit repository name (letters, digits, ".", "_", "-")',
    ],
    [
      "codecommit://..",
      'the remote URL "codecommit://.." names "..", which is not a CodeCommit repository name (letters, digits, ".", "_", "-")',
    ],
    [
      `codecommit://${"a".repeat(101)}`,
      `the remote URL "codecommit://${"a".repeat(101)}" names "${"a".repeat(101)}", which is not a CodeCommit repository name (letters, digits, ".", "_", "-")`,
    ],
  ];
  for (const [url, problem] of refused) {
    it(JSON.stringify(url), () => {
      let thrown: unknown;
      try {
        parseRemoteUrl(url);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(HelperError);
      expect((thrown as HelperError).kind).toBe("remote-url");
      expect((thrown as HelperError).userLine()).toBe(`git-credential-codecommit: ${problem}. ${FORMS}`);
    });
  }
});
