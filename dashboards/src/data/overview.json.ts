// Overview: each dataset's latest mart build, its daily sales (with the days before the range, so
// the page can compare with the previous period) and the total revenue forecast.
import { datasetsInScope, emit, type Query } from "../../lib/db.js";
import { tableExists } from "../../lib/tables.js";

async function forecast(q: Query, marts: string, datasets: string[]) {
  if (!(await tableExists(q, marts, "forecast_daily"))) return [];
  return q(
    `select dataset, dt, kind, value, lo80, hi80, lo95, hi95, trained_through, model
       from ${marts}.forecast_daily
      where dataset = any($1) and series = 'total' and metric = 'revenue'
      order by dataset, dt, kind`,
    [datasets],
  );
}

async function modelRuns(q: Query, marts: string, datasets: string[]) {
  if (!(await tableExists(q, marts, "model_run"))) return [];
  return q(
    `select dataset, model, run_id, trained_at, data_from, data_to, beats_baseline, metrics
       from ${marts}.model_run where dataset = any($1) order by dataset, model`,
    [datasets],
  );
}

await emit(async (q, scope) => {
  const datasets = await datasetsInScope(q, scope);
  const builds = await q(
    `select distinct on (dataset) dataset, dt_from, dt_to, run_id, built_at, fact_lines, realised_revenue
       from ${scope.marts}.mart_build where dataset = any($1) order by dataset, built_at desc`,
    [datasets],
  );
  // The previous period of a range [from, to] is the same number of days just before it.
  const daily = await q(
    `select dataset, dt, realised_revenue, orders, units, lines, realised_lines, cancelled_lines,
            returned_lines, gross_amount, lost_amount
       from ${scope.marts}.mart_sales_daily
      where dataset = any($1)
        and ($2::date is null or dt >= $2::date - ($3::date - $2::date + 1))
        and ($3::date is null or dt <= $3::date)
      order by dataset, dt`,
    [datasets, scope.from, scope.to ?? scope.from],
  );
  const models = await modelRuns(q, scope.marts, datasets);
  return { scope, builds, daily, forecast: await forecast(q, scope.marts, datasets), models };
});
