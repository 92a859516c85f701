import type { SilverSummary } from '../silver/reader';
import type { SilverManifest } from '../silver/source';
import { centsToText, decimalToCents } from '../values';

/**
 * What the load measured: reconcileSql and keyCheckSql (statements.ts) as pg returns them (bigint
 * counts come back as text), the rows the server reported for the COPY (stage_rows), and the
 * encoder's counts of lines without attributes.
 */
export interface FactCheck {
  stage_rows: string | number;
  fact_rows: string | number;
  amount_sum: string;
  gross_sum: string;
  realised_sum: string;
  lost_sum: string;
  qty_sum: string | number;
  unknown_product: string | number;
  unknown_location: string | number;
  unknown_fulfilment: string | number;
  unknown_status: string | number;
  stage_no_location: string | number;
  stage_no_fulfilment: string | number;
  bridge_pairs: string | number;
  key_mismatches: string | number;
}

/**
 * Compares what silver promised (_manifest.json), what its Parquet holds and what the fact
 * partition holds after the load. Any difference is a reason to roll back.
 * @returns one readable line per difference; empty when everything agrees.
 */
export function reconcile(manifest: SilverManifest, parquet: SilverSummary, fact: FactCheck): string[] {
  const diffs: string[] = [];
  const same = (what: string, values: Record<string, bigint | number>) => {
    const entries = Object.entries(values).map(([k, v]) => [k, BigInt(v)] as const);
    if (new Set(entries.map(([, v]) => v)).size > 1) {
      diffs.push(`${what}: ${entries.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  };
  const money = (what: string, values: Record<string, bigint>) => {
    const texts = Object.entries(values).map(([k, v]) => `${k} ${centsToText(v)}`);
    if (new Set(Object.values(values)).size > 1) diffs.push(`${what}: ${texts.join(', ')}`);
  };
  same('rows', {
    manifest: manifest.silver_rows,
    parquet: parquet.rows,
    stage: Number(fact.stage_rows),
    fact: Number(fact.fact_rows),
  });
  money('amount sum', {
    manifest: decimalToCents(manifest.silver_amount_sum),
    parquet: parquet.amountCents,
    fact: decimalToCents(fact.amount_sum),
  });
  money('realised sum', {
    manifest: decimalToCents(manifest.silver_realised_sum),
    parquet: parquet.realisedCents,
    fact: decimalToCents(fact.realised_sum),
  });
  money('gross sum', { parquet: parquet.grossCents, fact: decimalToCents(fact.gross_sum) });
  money('lost sum', { parquet: parquet.lostCents, fact: decimalToCents(fact.lost_sum) });
  same('qty sum', { parquet: parquet.qty, fact: Number(fact.qty_sum) });
  same('line-promotion pairs', { parquet: parquet.promotionPairs, bridge: Number(fact.bridge_pairs) });
  same("members whose dimension key differs from the loader's", {
    expected: 0,
    dimension: Number(fact.key_mismatches),
  });
  same('lines on the unknown product', { expected: 0, fact: Number(fact.unknown_product) });
  same('lines on the unknown status', { expected: 0, fact: Number(fact.unknown_status) });
  same('lines on the unknown location', {
    'stage without address': Number(fact.stage_no_location),
    fact: Number(fact.unknown_location),
  });
  same('lines on the unknown fulfilment', {
    'stage without fulfilment': Number(fact.stage_no_fulfilment),
    fact: Number(fact.unknown_fulfilment),
  });
  return diffs;
}
