// Checks the embedded code signature of a 64-bit Mach-O executable the way the macOS kernel checks
// its pages: every CodeDirectory slot must be the SHA-256 of its 4096-byte page, and the pages must
// cover the file up to the signature. Apple Silicon refuses to start a binary that fails this
// (it is SIGKILLed before main), so a cross-compiled darwin build is checked here, without a Mac.
// Layout: <mach-o/loader.h> (LC_CODE_SIGNATURE) and the CodeDirectory of <Kernel/kern/cs_blobs.h>.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

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
  if (data.readUInt32BE(sig.dataoff) !== CSMAGIC_EMBEDDED_SIGNATURE)
    return { signed: true, valid: false, problem: "no embedded signature blob" };
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
    if (codeLimit !== sig.dataoff)
      return { ...result, valid: false, problem: `the signature covers ${codeLimit} bytes, the code is ${sig.dataoff}` };
    let bad = 0;
    for (let page = 0; page < nCodeSlots; page++) {
      const start = page * pageSize;
      const digest = createHash("sha256")
        .update(data.subarray(start, Math.min(start + pageSize, codeLimit)))
        .digest();
      if (!digest.subarray(0, hashSize).equals(data.subarray(cd + hashOffset + page * hashSize, cd + hashOffset + (page + 1) * hashSize)))
        bad++;
    }
    return bad ? { ...result, valid: false, problem: `${bad} of ${nCodeSlots} page hashes do not match` } : { ...result, valid: true };
  }
  return { signed: true, valid: false, problem: "no CodeDirectory" };
}

// ---- ad-hoc signing --------------------------------------------------------------------------
// Go's linker signs every darwin executable this way (cmd/internal/codesign): a SuperBlob holding
// one CodeDirectory of SHA-256 page hashes, flagged ad hoc and linker-signed, with the executable
// segment (__TEXT) named. No certificate, requirements or CMS blob: none is needed to run, and
// `codesign --force --sign -` on a Mac replaces it like any linker signature.

const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const LC_SEGMENT_64 = 0x19;
const PAGE_BITS = 12;
const SUPERBLOB_HEADER = 12;
const BLOB_INDEX = 8;
const CODE_DIRECTORY_HEADER = 88;

/**
 * Replaces the code signature of a 64-bit Mach-O executable that has an LC_CODE_SIGNATURE (Bun's
 * darwin-x64 build carries one left stale by its cross-compile: it covers 97 of the file's 103 MB)
 * with a fresh ad-hoc one over the whole file before the signature. The signature stays where it
 * starts; the file, the load command and __LINKEDIT grow or shrink to its new size.
 * @param {string} file
 * @param {string} identifier  the signing identifier (codesign uses the file name)
 */
export function signMachOAdHoc(file, identifier) {
  const old = readFileSync(file);
  if (old.readUInt32LE(0) !== MH_MAGIC_64) throw new Error(`${file}: not a 64-bit Mach-O file`);
  const ncmds = old.readUInt32LE(16);
  let offset = 32;
  let sigCmd;
  let linkedit;
  let text;
  for (let i = 0; i < ncmds; i++) {
    const cmd = old.readUInt32LE(offset);
    if (cmd === LC_CODE_SIGNATURE) sigCmd = offset;
    if (cmd === LC_SEGMENT_64) {
      const name = old.toString("latin1", offset + 8, offset + 24).replace(/\0.*$/s, "");
      if (name === "__LINKEDIT") linkedit = offset;
      if (name === "__TEXT") text = { fileoff: old.readBigUInt64LE(offset + 40), filesize: old.readBigUInt64LE(offset + 48) };
    }
    offset += old.readUInt32LE(offset + 4);
  }
  if (sigCmd === undefined || linkedit === undefined || text === undefined)
    throw new Error(`${file}: no LC_CODE_SIGNATURE, __LINKEDIT or __TEXT to sign in place`);
  const codeSize = old.readUInt32LE(sigCmd + 8);
  const linkeditOff = Number(old.readBigUInt64LE(linkedit + 40));
  if (codeSize < linkeditOff) throw new Error(`${file}: the signature is not inside __LINKEDIT`);

  const pageSize = 1 << PAGE_BITS;
  const nSlots = Math.ceil(codeSize / pageSize);
  const id = Buffer.from(`${identifier}\0`, "utf8");
  const hashOffset = CODE_DIRECTORY_HEADER + id.length;
  const cdLength = hashOffset + nSlots * 32;
  const sigSize = SUPERBLOB_HEADER + BLOB_INDEX + cdLength;

  const data = Buffer.alloc(codeSize + sigSize);
  old.copy(data, 0, 0, codeSize);
  // The header is in the first page, which the signature covers: its sizes are set first.
  data.writeUInt32LE(sigSize, sigCmd + 12);
  const linkeditSize = BigInt(codeSize + sigSize - linkeditOff);
  data.writeBigUInt64LE(linkeditSize, linkedit + 48);
  const vmsize = data.readBigUInt64LE(linkedit + 32);
  const vmPage = 0x4000n;
  if (vmsize < linkeditSize) data.writeBigUInt64LE(((linkeditSize + vmPage - 1n) / vmPage) * vmPage, linkedit + 32);

  const p = codeSize;
  data.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, p);
  data.writeUInt32BE(sigSize, p + 4);
  data.writeUInt32BE(1, p + 8);
  data.writeUInt32BE(0, p + 12); // CSSLOT_CODEDIRECTORY
  data.writeUInt32BE(SUPERBLOB_HEADER + BLOB_INDEX, p + 16);
  const cd = p + SUPERBLOB_HEADER + BLOB_INDEX;
  data.writeUInt32BE(CSMAGIC_CODEDIRECTORY, cd);
  data.writeUInt32BE(cdLength, cd + 4);
  data.writeUInt32BE(0x20400, cd + 8); // the version with the executable segment fields
  data.writeUInt32BE(CS_ADHOC | CS_LINKER_SIGNED, cd + 12);
  data.writeUInt32BE(hashOffset, cd + 16);
  data.writeUInt32BE(CODE_DIRECTORY_HEADER, cd + 20);
  data.writeUInt32BE(0, cd + 24); // no special slots
  data.writeUInt32BE(nSlots, cd + 28);
  data.writeUInt32BE(codeSize, cd + 32);
  data[cd + 36] = 32;
  data[cd + 37] = CS_HASHTYPE_SHA256;
  data[cd + 38] = 0;
  data[cd + 39] = PAGE_BITS;
  // spare2, scatterOffset, teamOffset, spare3, codeLimit64: zero (alloc).
  data.writeBigUInt64BE(text.fileoff, cd + 64);
  data.writeBigUInt64BE(text.filesize, cd + 72);
  data.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), cd + 80);
  id.copy(data, cd + CODE_DIRECTORY_HEADER);
  for (let page = 0; page < nSlots; page++) {
    const start = page * pageSize;
    createHash("sha256")
      .update(data.subarray(start, Math.min(start + pageSize, codeSize)))
      .digest()
      .copy(data, cd + hashOffset + page * 32);
  }
  writeFileSync(file, data);
}
