import path from 'node:path';

/** The repository root, from src/ (ts-jest) and dist/ (built) alike. */
export const repoRoot = path.resolve(__dirname, '../..');

/** The real extract, read in place from the shared data folder beside the repository. */
export const sampleSourceFile = path.resolve(repoRoot, '../shared/data/amazon_sale_report_sample.csv');

/** The local stack's folder (stack/lib.sh): repo/.local unless STACK_HOME names another (make demo-smoke). */
export const stackHome = process.env.STACK_HOME || path.join(repoRoot, '.local');

/** Where local runs keep generated data (git-ignored). */
export const localDataDir = path.join(stackHome, 'data');
