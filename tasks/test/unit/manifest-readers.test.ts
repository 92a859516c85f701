import { InputRejectedError } from '../../src/errors';
import { listDataObjects } from '../../src/quality/readers/s3-objects';
import { memoryS3 } from './memory-s3';

const prefix = 'lake/silver/order_lines/dataset=ds/dt=2022-04-30/';

describe('readers of a partition follow its manifest', () => {
  it('reads only the files _manifest.json lists, not a leftover of a transform that died mid-publish', async () => {
    const s3 = memoryS3({
      [`${prefix}part-00000-new.snappy.parquet`]: 'new',
      [`${prefix}part-00000-old.snappy.parquet`]: 'leftover',
      [`${prefix}_manifest.json`]: JSON.stringify({ files: [`s3://b/${prefix}part-00000-new.snappy.parquet`] }),
    });
    const objects = await listDataObjects(s3, `s3://b/${prefix}`);
    expect(objects.map((o) => o.key)).toEqual([`${prefix}part-00000-new.snappy.parquet`]);
  });

  it('reads every data file of a prefix without a manifest (bronze), and refuses a manifest without a file list', async () => {
    const bronze = 'lake/bronze/order_lines/dataset=ds/dt=2022-04-30/';
    const s3 = memoryS3({ [`${bronze}a.ndjson`]: '{}', [`${bronze}b.ndjson`]: '{}' });
    expect((await listDataObjects(s3, `s3://b/${bronze}`)).length).toBe(2);
    const broken = memoryS3({ [`${prefix}a.parquet`]: 'x', [`${prefix}_manifest.json`]: '{"rows": 1}' });
    await expect(listDataObjects(broken, `s3://b/${prefix}`)).rejects.toThrow(InputRejectedError);
  });
});
