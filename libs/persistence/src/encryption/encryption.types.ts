/** Binds an encrypted value to where it is stored: moving it elsewhere makes it undecryptable. */
export interface EncryptionAad {
  table: string;
  rowId: string;
  column: string;
}

/** A usable key: its id (written into every value) and its 32 bytes. */
export interface DataKey {
  id: string;
  material: Buffer;
}

export const KEY_BYTES = 32;
