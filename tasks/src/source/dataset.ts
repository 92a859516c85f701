import path from 'node:path';

/**
 * Every file names its dataset, and the dataset id is a partition of every lake path
 * (`.../dataset=<id>/...`), so the real extract and generated files, whose dates overlap,
 * never mix in one path or one warehouse partition.
 * - `kaggle-sample`: the real extract `amazon_sale_report_sample.csv`;
 * - `kaggle-full`: the full Kaggle file `Amazon Sale Report.csv`;
 * - `synthetic-seed<seed>-<rows>`: files from `sales-pipeline generate`.
 */
export function datasetIdFor(file: string): string | undefined {
  const name = path.basename(file);
  if (name === 'amazon_sale_report_sample.csv') return 'kaggle-sample';
  if (name === 'Amazon Sale Report.csv') return 'kaggle-full';
  const synthetic = /^amazon_sale_report_synthetic_seed(\d+)_(\d+)\.csv$/.exec(name);
  if (synthetic) return `synthetic-seed${synthetic[1]}-${synthetic[2]}`;
  return undefined;
}

export const DATASET_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The one dataset-id rule, checked at the edge of every step (yargs `coerce`: a bad id is a usage
 * error, exit 2) and on every event before a lake key is built from it.
 * @throws Error naming the rule, with a short escaped excerpt of the value.
 */
export function checkDatasetId(id: string): string {
  if (DATASET_ID.test(id)) return id;
  const shown = JSON.stringify([...id].length > 40 ? `${[...id].slice(0, 40).join('')}…` : id);
  throw new Error(
    `--dataset ${shown} is not a dataset id: 1-63 lower-case letters, digits and "-", starting with a letter or digit`,
  );
}

/** A path-like flag value that could be read as a flag (`--source=--xcom-path=…`) is refused. */
export function checkNotFlag(flag: string, value: string): string {
  if (value === '' || /^[-\s]/.test(value) || /\p{Cc}/u.test(value)) {
    throw new Error(`${flag} must be a path or an s3:// URI (not empty, not starting with "-", no control characters)`);
  }
  return value;
}
