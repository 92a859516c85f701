// Products (styles): the top and bottom 15, the 10 steepest rising and declining, the Pareto curve
// (thinned to about 300 points per dataset), concentration, size mix and product segments.
import { datasetsInScope, emit } from "../../lib/db.js";
import { mart, tableExists } from "../../lib/tables.js";

await emit(async (q, scope) => {
  const ds = await datasetsInScope(q, scope);
  const hasSegments = await tableExists(q, scope.marts, "segment_profile");
  return {
    ranking: await mart(
      q,
      scope.marts,
      ds,
      "mart_product_ranking",
      "item, category, realised_revenue, units, orders, revenue_rank, bottom_rank",
      "revenue_rank",
      "and grain = 'style' and (revenue_rank <= 15 or bottom_rank <= 15)",
    ),
    trend: await mart(
      q,
      scope.marts,
      ds,
      "mart_trend",
      "subject as style, category, weeks, realised_revenue, slope_per_week, relative_slope, direction, trend_rank",
      "direction, trend_rank",
      "and subject_kind = 'style' and direction in ('rising', 'declining') and trend_rank <= 10",
    ),
    pareto: await q(
      `select p.dataset, p.style_rank, p.style_pct, p.cumulative_share
         from ${scope.marts}.mart_style_pareto p
         join (select dataset, count(*) as n from ${scope.marts}.mart_style_pareto where dataset = any($1) group by dataset) c
           on c.dataset = p.dataset
        where p.dataset = any($1)
          and (p.style_rank <= 50 or p.style_rank = c.n or p.style_rank % greatest(1, c.n / 300) = 0)
        order by p.dataset, p.style_rank`,
      [ds],
    ),
    concentration: await mart(q, scope.marts, ds, "mart_revenue_concentration", "top_pct, styles, revenue_share", "top_pct"),
    sizeMix: await mart(q, scope.marts, ds, "mart_size_mix", "category, size, units, realised_revenue, unit_share", "category, size"),
    segments: hasSegments
      ? await mart(
          q,
          scope.marts,
          ds,
          "segment_profile",
          "segment_id, segment_name, members, realised_revenue, description, features",
          "realised_revenue desc",
          "and kind = 'product'",
        )
      : [],
  };
});
