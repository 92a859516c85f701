import type { S3Client } from '@aws-sdk/client-s3';

/**
 * An S3 client over a map of key -> text: List, Get (NoSuchKey when absent), Head and Put. Enough
 * for the library code that reads markers and manifests, without a store.
 */
export function memoryS3(objects: Record<string, string> = {}): S3Client & { objects: Record<string, string> } {
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const { Key, Prefix, Body } = command.input as { Key?: string; Prefix?: string; Body?: string };
    switch (command.constructor.name) {
      case 'ListObjectsV2Command':
        return {
          Contents: Object.keys(objects)
            .filter((k) => k.startsWith(Prefix ?? ''))
            .sort()
            .map((k) => ({ Key: k, Size: objects[k]!.length })),
        };
      case 'GetObjectCommand':
      case 'HeadObjectCommand':
        if (!(Key! in objects)) throw Object.assign(new Error(Key), { name: 'NoSuchKey' });
        return {
          ContentLength: objects[Key!]!.length,
          Body: {
            transformToString: async () => objects[Key!]!,
            async *[Symbol.asyncIterator]() {
              yield Buffer.from(objects[Key!]!);
            },
          },
        };
      case 'PutObjectCommand':
        objects[Key!] = String(Body);
        return {};
      default:
        throw new Error(`memoryS3: ${command.constructor.name} is not supported`);
    }
  };
  return { send, objects, destroy: () => undefined } as unknown as S3Client & { objects: Record<string, string> };
}
