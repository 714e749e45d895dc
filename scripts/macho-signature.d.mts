/** See macho-signature.mjs. */
export interface MachOSignatureCheck {
  readonly signed: boolean;
  readonly valid: boolean;
  readonly problem?: string;
  readonly identifier?: string;
  readonly flags?: number;
  readonly pages?: number;
}
export function checkMachOSignature(file: string): MachOSignatureCheck;
export function signMachOAdHoc(file: string, identifier: string): void;
