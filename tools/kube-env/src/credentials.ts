// Everything secret a kube env needs, generated fresh per env (nothing shared between runs).
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface EnvCredentials {
  /** Bearer token of user "admin" in group system:masters. */
  adminToken: string;
  /** tokens.csv for --token-auth-file. */
  tokenFile: string;
  /** Signs and verifies ServiceAccount tokens (apiserver and controller-manager). */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

export function generateCredentials(): EnvCredentials {
  const adminToken = randomBytes(24).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    adminToken,
    // token,user,uid,"groups"
    tokenFile: `${adminToken},admin,admin,"system:masters"\n`,
    serviceAccountKey: privateKey,
    serviceAccountPub: publicKey,
  };
}
