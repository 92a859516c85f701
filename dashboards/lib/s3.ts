// Loader-side S3: the step results (runs/), silver manifests and quality reports the data-quality
// page reads. Local profile: the S3 store of .local/env (path-style); AWS: the default chain.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

export interface Store {
  bucket: string;
  list(prefix: string): Promise<string[]>;
  json<T>(key: string): Promise<T>;
  close(): void;
}

export function openStore(env: NodeJS.ProcessEnv = process.env): Store {
  // Pinned to releases that support Node 20 (as in tasks/); their notice would print on every build.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const local = env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY;
  const client = new S3Client({
    region: env.S3_REGION ?? env.AWS_REGION ?? "us-east-1",
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT, forcePathStyle: true } : {}),
    ...(local ? { credentials: { accessKeyId: env.S3_ACCESS_KEY_ID!, secretAccessKey: env.S3_SECRET_ACCESS_KEY! } } : {}),
  });
  const bucket = env.S3_BUCKET ?? "sales-pipeline";
  return {
    bucket,
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async json(key) {
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse(await got.Body!.transformToString());
    },
    close: () => client.destroy(),
  };
}

/** Runs `fn` over items with at most `width` in flight, keeping the order. */
export async function mapLimit<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
