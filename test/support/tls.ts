import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";

/** Paths of the PEM files written by {@link makeCertificate}. */
export interface CertificateFiles {
  /** The self-signed CA that clients trust (`http.sslCAInfo`, `NODE_EXTRA_CA_CERTS`). */
  caFile: string;
  /** The server certificate, signed by the CA. */
  certFile: string;
  /** The server certificate's private key (unencrypted). */
  keyFile: string;
}

/**
 * Writes a throwaway CA and a server certificate signed by it into `dir`, using the `openssl` CLI.
 *
 * The server certificate's subjectAltName lists every name in `hostnames` plus IP 127.0.0.1, because
 * curl (hence git) and Node verify the SAN, not the CN. A separate CA rather than one self-signed leaf
 * keeps the server certificate a real end-entity certificate, as clients expect from CodeCommit.
 * EC P-256 keys make generation take milliseconds instead of the ~1 s of RSA.
 */
export function makeCertificate(dir: string, hostnames: string[]): CertificateFiles {
  const caKey = join(dir, "ca-key.pem");
  const caFile = join(dir, "ca.pem");
  const keyFile = join(dir, "server-key.pem");
  const csrFile = join(dir, "server.csr");
  const certFile = join(dir, "server.pem");
  const extFile = join(dir, "server-ext.cnf");

  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  };
  const ecKey = (out: string): void => openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", out);

  ecKey(caKey);
  openssl(
    "req",
    "-x509",
    "-new",
    "-key",
    caKey,
    "-sha256",
    "-days",
    "7",
    "-subj",
    "/CN=git-credential-codecommit test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-out",
    caFile,
  );

  ecKey(keyFile);
  openssl("req", "-new", "-key", keyFile, "-subj", `/CN=${hostnames[0] ?? "localhost"}`, "-out", csrFile);

  const altNames = [...hostnames, "127.0.0.1"].map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`));
  // `x509 -req` copies no extensions from the CSR, so they all come from this file. The key
  // identifiers matter to strict verifiers (OpenSSL 3 with X509_STRICT, as Python 3.13 sets it).
  writeFileSync(
    extFile,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid,issuer",
      `subjectAltName=${[...new Set(altNames)].join(",")}`,
      "",
    ].join("\n"),
  );
  openssl(
    "x509",
    "-req",
    "-in",
    csrFile,
    "-CA",
    caFile,
    "-CAkey",
    caKey,
    // A random serial instead of -CAcreateserial, which would leave a .srl file behind.
    "-set_serial",
    `0x${randomBytes(8).toString("hex")}`,
    "-days",
    "7",
    "-sha256",
    "-extfile",
    extFile,
    "-out",
    certFile,
  );

  return { caFile, certFile, keyFile };
}
