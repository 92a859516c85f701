import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';
import { requireSecret } from '../config';

/**
 * The S3 client for the profile: the local store needs its endpoint, path-style addressing and
 * its generated keys; on AWS the default credential chain (IRSA in a pod) and real endpoints apply.
 */
export function createS3Client(config: Config): S3Client {
  const { s3, profile } = config;
  if (profile === 'aws') return new S3Client({ region: s3.region });
  return new S3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: {
      accessKeyId: requireSecret(s3.accessKeyId, 'S3_ACCESS_KEY_ID', profile),
      secretAccessKey: requireSecret(s3.secretAccessKey, 'S3_SECRET_ACCESS_KEY', profile),
    },
    // Checksums only where S3 requires them: the local store and the SDK then agree.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Makes the client's requests sign `UNSIGNED-PAYLOAD` instead of a SHA-256 of each body: SigV4
 * then signs the request line and headers only, and hashing every byte written (about 1 µs per
 * landed row, measured) is saved. S3 accepts it (the SDK does the same for streamed bodies);
 * integrity in transit is TLS's on AWS. For clients that write many large bodies (stream-land).
 */
export function skipPayloadHashing(client: S3Client): S3Client {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'skipPayloadHashing' },
  );
  return client;
}

/** Every object under a prefix (all pages), in key order; `signal` aborts the listing. */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), {
      abortSignal: signal,
    });
    for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: Number(o.Size ?? 0) });
    token = page.NextContinuationToken;
  } while (token);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
