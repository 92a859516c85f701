import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Amazon MSK's IAM access control over SASL/OAUTHBEARER (what AWS's own signer libraries do,
 * written here against the documented protocol): the token is a SigV4-presigned
 * `GET https://kafka.<region>.amazonaws.com/?Action=kafka-cluster:Connect` for the service
 * `kafka-cluster`, base64url-encoded without padding. Credentials come from the default chain
 * (IRSA in the pods), so no secret is configured. The broker checks the signature and the
 * principal's `kafka-cluster:*` permissions; kafkajs asks for a new token on each connection.
 */

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** The SHA-256 (or, with a secret, HMAC-SHA-256) constructor SigV4 expects, over node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

/** Token lifetime: MSK accepts up to 15 minutes; kafkajs re-authenticates before it ends. */
const EXPIRES_SECONDS = 900;

type Credentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

/** A signed MSK IAM token for `region`, and when it expires (ms since the epoch). */
export async function mskIamToken(
  region: string,
  credentials: Credentials = defaultProvider(),
  now = new Date(),
): Promise<{ value: string; expiresAt: number }> {
  const hostname = `kafka.${region}.amazonaws.com`;
  const signer = new SignatureV4({ service: 'kafka-cluster', region, credentials, sha256: Sha256 });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'kafka-cluster:Connect' },
      headers: { host: hostname },
    },
    { expiresIn: EXPIRES_SECONDS, signingDate: now },
  );
  const query = { ...signed.query, 'User-Agent': 'sales-pipeline' } as Record<string, string>;
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const url = `https://${hostname}/?${search}`;
  return { value: Buffer.from(url).toString('base64url'), expiresAt: now.getTime() + EXPIRES_SECONDS * 1000 };
}
