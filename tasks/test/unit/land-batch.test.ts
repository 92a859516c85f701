import type { S3Client } from '@aws-sdk/client-s3';
import { previousKeys } from '../../src/commands/stream-land/land-batch';

/** An S3 client that answers every GET with a manifest naming `keys`, and counts the calls. */
function fakeS3(keys: string[]) {
  const calls: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      calls.push(command);
      return { Body: { transformToString: async () => JSON.stringify({ keys }) } };
    },
  } as unknown as S3Client;
  return { client, calls };
}

describe('previousKeys', () => {
  it("reads the manifest of a partition's first batch in this membership, which another run may have left", async () => {
    const s3 = fakeS3(['old-a', 'old-b']);
    await expect(previousKeys(s3.client, 'b', undefined, '100', 'm/100')).resolves.toEqual(['old-a', 'old-b']);
    expect(s3.calls).toHaveLength(1);
  });

  it('reads it again when the batch does not follow our own last commit (a gap: another member landed)', async () => {
    const s3 = fakeS3(['x']);
    await expect(previousKeys(s3.client, 'b', { next: '100' }, '250', 'm/250')).resolves.toEqual(['x']);
    expect(s3.calls).toHaveLength(1);
  });

  it('knows without asking S3 that nothing was written right after our own commit', async () => {
    const s3 = fakeS3(['never']);
    await expect(previousKeys(s3.client, 'b', { next: '250' }, '250', 'm/250')).resolves.toEqual([]);
    expect(s3.calls).toHaveLength(0);
  });

  it('remembers the keys of its own failed attempt at the same batch', async () => {
    const s3 = fakeS3(['never']);
    const landed = { next: '250', pending: { first: '250', keys: ['dt=1', 'dt=2'] } };
    await expect(previousKeys(s3.client, 'b', landed, '250', 'm/250')).resolves.toEqual(['dt=1', 'dt=2']);
    expect(s3.calls).toHaveLength(0);
  });
});
