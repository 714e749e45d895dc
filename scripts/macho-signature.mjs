// Checks the embedded code signature of a 64-bit Mach-O executable the way the macOS kernel checks
// its pages: every CodeDirectory slot must be the SHA-256 of its 4096-byte page, and the pages must
// cover the file up to the signature. Apple Silicon refuses to start a binary that fails this
// (it is SIGKILLed before main), so a cross-compiled darwin build is checked here, without a Mac.
// Layout: <mach-o/loader.h> (LC_CODE_SIGNATURE) and the CodeDirectory of <Kernel/kern/cs_blobs.h>.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const MH_MAGIC_64 = 0xfeedfacf;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_HASHTYPE_SHA256 = 2;

/**
 * @param {string} file
 * @returns {{ signed: boolean, valid: boolean, problem?: string, identifier?: string, flags?: number, pages?: number }}
 */
export function checkMachOSignature(file) {
  const data = readFileSync(file);
  if (data.readUInt32LE(0) !== MH_MAGIC_64) return { signed: false, valid: false, problem: "not a 64-bit Mach-O file" };
  const ncmds = data.readUInt32LE(16);
  let offset = 32;
  let sig;
  for (let i = 0; i < ncmds; i++) {
    const cmd = data.readUInt32LE(offset);
    if (cmd === LC_CODE_SIGNATURE) sig = { dataoff: data.readUInt32LE(offset + 8), datasize: data.readUInt32LE(offset + 12) };
    offset += data.readUInt32LE(offset + 4);
  }
  if (!sig) return { signed: false, valid: false, problem: "no LC_CODE_SIGNATURE" };
  if (data.readUInt32BE(sig.dataoff) !== CSMAGIC_EMBEDDED_SIGNATURE) return { signed: true, valid: false, problem: "no embedded signature blob" };
  const count = data.readUInt32BE(sig.dataoff + 8);
  for (let i = 0; i < count; i++) {
    const cd = sig.dataoff + data.readUInt32BE(sig.dataoff + 12 + 8 * i + 4);
    if (data.readUInt32BE(cd) !== CSMAGIC_CODEDIRECTORY) continue;
    const flags = data.readUInt32BE(cd + 12);
    const hashOffset = data.readUInt32BE(cd + 16);
    const identOffset = data.readUInt32BE(cd + 20);
    const nCodeSlots = data.readUInt32BE(cd + 28);
    const codeLimit = data.readUInt32BE(cd + 32);
    const hashSize = data[cd + 36];
    const hashType = data[cd + 37];
    const pageSize = 2 ** data[cd + 39];
    const identifier = data.toString("latin1", cd + identOffset, data.indexOf(0, cd + identOffset));
    const result = { signed: true, identifier, flags, pages: nCodeSlots };
    if (hashType !== CS_HASHTYPE_SHA256) return { ...result, valid: false, problem: `hash type ${hashType}, not SHA-256` };
    if (codeLimit !== sig.dataoff) return { ...result, valid: false, problem: `the signature covers ${codeLimit} bytes, the code is ${sig.dataoff}` };
    let bad = 0;
    for (let page = 0; page < nCodeSlots; page++) {
      const start = page * pageSize;
      const digest = createHash("sha256").update(data.subarray(start, Math.min(start + pageSize, codeLimit))).digest();
      if (!digest.subarray(0, hashSize).equals(data.subarray(cd + hashOffset + page * hashSize, cd + hashOffset + (page + 1) * hashSize))) bad++;
    }
    return bad ? { ...result, valid: false, problem: `${bad} of ${nCodeSlots} page hashes do not match` } : { ...result, valid: true };
  }
  return { signed: true, valid: false, problem: "no CodeDirectory" };
}
