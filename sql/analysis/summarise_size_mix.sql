-- mart: mart_size_mix
-- Size mix by category: realised units and revenue per (category, size) and each size's share of
-- its category's units.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with sizes as (
    select dataset, category, size,
           sum(case when is_realised then qty else 0 end) as units,
           sum(revenue) as realised_revenue
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
    group by dataset, category, size
)

select dataset, category, size, units, realised_revenue,
       round(1.0 * units / nullif(sum(units) over (partition by dataset, category), 0), 6) as unit_share
from sizes
order by category, units desc, size;
