// Data quality: gate runs and failed expectations (quality.dq_results), the load audit
// (<schema>.load_audit), and from S3: reconciliation per layer (the reconcile gate's results under
// runs/quality-gate/), quarantined rows by rule (silver manifests) and dead letters (stream-produce
// results under runs/stream-produce/, with their reasons when the run recorded them).
import { datasetsInScope, emit } from "../../lib/db.js";
import { tableExists } from "../../lib/tables.js";
import { mapLimit, openStore } from "../../lib/s3.js";
import { inRange, stepResults, manifests } from "../../lib/quality-s3.js";
import { deadLetterReasons } from "../../lib/dead-letters.js";

const schema = process.env.WAREHOUSE_SCHEMA ?? "sales";
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`WAREHOUSE_SCHEMA is not an identifier: ${schema}`);

await emit(async (q, scope) => {
  const ds = await datasetsInScope(q, scope);
  const range = "and ($2::date is null or dt >= $2) and ($3::date is null or dt <= $3)";
  const params = [ds, scope.from, scope.to];
  const hasResults = await tableExists(q, "quality", "dq_results");
  const runs = hasResults
    ? await q(
        `select dataset, suite, stage, run_id, dt, min(validated_at) as validated_at,
                count(*) as expectations, sum(case when success then 1 else 0 end) as passed
           from quality.dq_results where dataset = any($1) ${range}
          group by dataset, suite, stage, run_id, dt order by dataset, validated_at`,
        params,
      )
    : [];
  const failed = hasResults
    ? await q(
        `select dataset, suite, stage, dt, run_id, expectation_type, columns_checked, severity,
                unexpected_count, unexpected_percent, left(observed_value, 160) as observed_value, validated_at
           from quality.dq_results where dataset = any($1) ${range} and not success
          order by validated_at desc limit 200`,
        params,
      )
    : [];
  const audit = (await tableExists(q, schema, "load_audit"))
    ? await q(
        `select dataset, dt, run_id, status, manifest_rows, parquet_rows, fact_rows, manifest_amount_sum,
                fact_amount_sum, started_at, finished_at, message
           from ${schema}.load_audit where dataset = any($1) ${range} order by dataset, dt, started_at`,
        params,
      )
    : [];
  const store = openStore();
  try {
    const results = await stepResults(store, ds, scope);
    const quarantine = (await mapLimit(ds, 2, (d) => manifests(store, d, inRange(scope)))).flat();
    const deadLetters = await deadLetterReasons(process.env, ds);
    return { scope, runs, failed, audit, ...results, quarantine, deadLetters };
  } finally {
    store.close();
  }
});
