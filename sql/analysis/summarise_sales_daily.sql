-- mart: mart_sales_daily
-- Realised revenue, orders, units and AOV per day, beside every line's status counts.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, dt, order_id, qty, revenue, is_realised, is_cancelled, is_returned,
           gross_amount, lost_amount
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
)

select dataset, dt,
       sum(revenue) as realised_revenue,
       count(distinct case when is_realised then order_id end) as orders,
       sum(case when is_realised then qty else 0 end) as units,
       round(sum(revenue) / nullif(count(distinct case when is_realised then order_id end), 0), 2)
           as avg_order_value,
       count(*) as lines,
       sum(case when is_realised then 1 else 0 end) as realised_lines,
       sum(case when is_cancelled then 1 else 0 end) as cancelled_lines,
       sum(case when is_returned then 1 else 0 end) as returned_lines,
       sum(gross_amount) as gross_amount,
       sum(lost_amount) as lost_amount,
       sum(case when is_returned then gross_amount else 0 end) as returned_amount
from lines
group by dataset, dt
order by dt;
