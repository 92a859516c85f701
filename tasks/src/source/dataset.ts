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
