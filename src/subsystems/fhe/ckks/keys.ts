import type { GaloisKeys, PublicKey, RelinKeys } from './seal.js';

/**
 * The evaluation keys the data owner hands the training server: public, relinearisation and Galois (rotation)
 * keys. There is deliberately no secret key here, nor a way to reach one; tests/subsystems/fhe check that the
 * server's modules import nothing from owner/ and that this is all it receives.
 */
export interface ServerKeys {
  readonly publicKey: PublicKey;
  readonly relinKeys: RelinKeys;
  readonly galoisKeys: GaloisKeys;
}
