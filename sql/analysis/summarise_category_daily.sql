-- mart: mart_category_daily
-- Realised revenue, orders, units and lines per day and category: the series the forecaster
-- reads for its top categories.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
select dataset, dt, category,
       sum(revenue) as realised_revenue,
       count(distinct case when is_realised then order_id end) as orders,
       sum(case when is_realised then qty else 0 end) as units,
       count(*) as lines,
       sum(case when is_cancelled then 1 else 0 end) as cancelled_lines
from order_lines
where dataset = $1
  and dt between cast($2 as date) and cast($3 as date)
group by dataset, dt, category
order by dt, category;
