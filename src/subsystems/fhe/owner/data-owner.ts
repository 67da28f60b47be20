/**
 * The data owner: the only holder of the secret key. It generates the keys, encodes and encrypts the packed
 * training rows and the initial weights, hands the server evaluation keys only (ServerKeys), refreshes exhausted
 * ciphertexts (decrypt + re-encrypt at the top level: SEAL has no bootstrapping), counting each refresh and the
 * bytes it moves both ways, and decrypts the trained model at the end.
 */
import { createCkksContext, type CkksContext } from '../ckks/context.js';
import type { ServerKeys } from '../ckks/keys.js';
import type { CkksParams } from '../ckks/params.js';
import { free, made, type CipherText, type SEALLibrary } from '../ckks/seal.js';
import type { Decryptor } from 'node-seal/implementation/decryptor.js';
import type { Encryptor } from 'node-seal/implementation/encryptor.js';
import type { KeyGenerator } from 'node-seal/implementation/key-generator.js';
import type { SecretKey } from 'node-seal/implementation/secret-key.js';

export interface RefreshStats {
  readonly refreshes: number;
  readonly ciphertextsRefreshed: number;
  /** Serialized ciphertext bytes the server sent to the owner, and the owner sent back. */
  readonly bytesToOwner: number;
  readonly bytesToServer: number;
}

export class DataOwner {
  readonly #k: CkksContext;
  readonly #keygen: KeyGenerator;
  readonly #secretKey: SecretKey;
  readonly #encryptor: Encryptor;
  readonly #decryptor: Decryptor;
  readonly #serverKeys: ServerKeys;
  #stats: RefreshStats = { refreshes: 0, ciphertextsRefreshed: 0, bytesToOwner: 0, bytesToServer: 0 };

  private constructor(k: CkksContext, rotationSteps: readonly number[]) {
    const { seal, context } = k;
    this.#k = k;
    this.#keygen = seal.KeyGenerator(context);
    this.#secretKey = this.#keygen.secretKey();
    const publicKey = this.#keygen.createPublicKey();
    this.#serverKeys = Object.freeze({ publicKey, relinKeys: this.#keygen.createRelinKeys(), galoisKeys: this.#keygen.createGaloisKeys(Int32Array.from(rotationSteps)) });
    this.#encryptor = seal.Encryptor(context, publicKey);
    this.#decryptor = seal.Decryptor(context, this.#secretKey);
  }

  /** Keys for `params`, with Galois keys for exactly the rotations the training needs. */
  static create(seal: SEALLibrary, params: CkksParams, rotationSteps: readonly number[]): DataOwner {
    return new DataOwner(createCkksContext(seal, params), rotationSteps);
  }

  get context(): CkksContext {
    return this.#k;
  }

  /** What the server gets: evaluation keys, no secret key. The owner keeps ownership (and deletes them). */
  get serverKeys(): ServerKeys {
    return this.#serverKeys;
  }

  get stats(): RefreshStats {
    return this.#stats;
  }

  /** One slot vector, encoded at Δ and encrypted at the top level. */
  encrypt(values: Float64Array): CipherText {
    const plain = made(this.#k.encoder.encode(values, this.#k.scale), 'encode');
    const ct = made(this.#encryptor.encrypt(plain), 'encrypt');
    plain.delete();
    return ct;
  }

  /** The slot vector `ct` holds. */
  decrypt(ct: CipherText): Float64Array {
    const plain = made(this.#decryptor.decrypt(ct), 'decrypt');
    const values = Float64Array.from(this.#k.encoder.decode(plain));
    plain.delete();
    return values;
  }

  /**
   * Fresh top-level encryptions of the values in `cts` (the server's exhausted ciphertexts), counted. The inputs
   * are left to the caller to delete.
   */
  refresh(cts: readonly CipherText[]): CipherText[] {
    const bytes = (ct: CipherText): number => ct.saveArray(this.#k.seal.ComprModeType.none).byteLength;
    const out = cts.map((ct) => this.encrypt(this.decrypt(ct)));
    const s = this.#stats;
    this.#stats = {
      refreshes: s.refreshes + 1,
      ciphertextsRefreshed: s.ciphertextsRefreshed + cts.length,
      bytesToOwner: s.bytesToOwner + cts.reduce((a, ct) => a + bytes(ct), 0),
      bytesToServer: s.bytesToServer + out.reduce((a, ct) => a + bytes(ct), 0),
    };
    return out;
  }

  /** Serialized sizes (bytes, uncompressed) of the evaluation keys, for the benchmark. */
  keySizes(): { publicKey: number; relinKeys: number; galoisKeys: number } {
    const none = this.#k.seal.ComprModeType.none;
    const k = this.#serverKeys;
    return { publicKey: k.publicKey.saveArray(none).byteLength, relinKeys: k.relinKeys.saveArray(none).byteLength, galoisKeys: k.galoisKeys.saveArray(none).byteLength };
  }

  delete(): void {
    const k = this.#serverKeys;
    free(this.#decryptor, this.#encryptor, k.galoisKeys, k.relinKeys, k.publicKey, this.#secretKey, this.#keygen);
    this.#k.delete();
  }
}
