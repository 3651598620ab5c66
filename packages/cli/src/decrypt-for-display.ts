// With --decryption-key, the doctor shows the signed token inside an encrypted one. Display only:
// verification decrypts again, inside core, with every rule that applies to encrypted tokens.
import { compactDecrypt } from 'jose';
import type { KeyObject } from 'node:crypto';

/** The inner token's text, or undefined when the key does not open it (the diagnosis says why). */
export async function decryptForDisplay(token: string, key: KeyObject): Promise<string | undefined> {
  try {
    const { plaintext } = await compactDecrypt(token, key, { keyManagementAlgorithms: ['RSA-OAEP', 'RSA-OAEP-256'] });
    return new TextDecoder().decode(plaintext);
  } catch {
    return undefined;
  }
}
