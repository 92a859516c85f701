// Sales: realised revenue by each dimension (over the build range), per category and day (for the
// page's date range), revenue lost by status, and weekly / monthly growth.
import { datasetsInScope, emit } from "../../lib/db.js";
import { mart } from "../../lib/tables.js";

await emit(async (q, scope) => {
  const ds = await datasetsInScope(q, scope);
  const range = "and ($2::date is null or dt >= $2) and ($3::date is null or dt <= $3)";
  return {
    byDimension: await mart(
      q,
      scope.marts,
      ds,
      "mart_sales_by_dimension",
      "dimension, member, realised_revenue, orders, units, lines, cancelled_lines, revenue_share",
      "dimension, realised_revenue desc",
    ),
    categoryDaily: await q(
      `select dataset, dt, category, realised_revenue, orders, units, lines, cancelled_lines
         from ${scope.marts}.mart_category_daily where dataset = any($1) ${range} order by dataset, dt, category`,
      [ds, scope.from, scope.to],
    ),
    lost: await mart(q, scope.marts, ds, "mart_revenue_lost", "status_bucket, status, lines, gross_amount, share_of_gross", "gross_amount desc"),
    weekly: await mart(
      q,
      scope.marts,
      ds,
      "mart_sales_weekly",
      "week_start, iso_week_year, iso_week, days_present, is_partial, realised_revenue, orders, growth",
      "week_start",
    ),
    monthly: await mart(
      q,
      scope.marts,
      ds,
      "mart_sales_monthly",
      "year_month, month_start, days_present, days_in_month, is_partial, realised_revenue, orders, growth",
      "month_start",
    ),
  };
});
