-- mart: mart_customer_type
-- B2B against B2C: customers (ship postal codes: the customer proxy, the data has no customer
-- id), orders, revenue, AOV and the cancellation and return rates of their lines.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, order_id, customer_key, qty, revenue, is_realised, is_cancelled, is_returned,
           case when is_b2b then 'B2B' else 'B2C' end as customer_type
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
)

select dataset, customer_type,
       count(distinct customer_key) as customers,
       count(distinct order_id) as orders,
       count(*) as lines,
       sum(case when is_realised then qty else 0 end) as units,
       sum(revenue) as realised_revenue,
       round(sum(revenue) / nullif(count(distinct case when is_realised then order_id end), 0), 2)
           as avg_order_value,
       round(1.0 * sum(case when is_cancelled then 1 else 0 end) / count(*), 6) as cancel_rate,
       round(1.0 * sum(case when is_returned then 1 else 0 end) / count(*), 6) as return_rate
from lines
group by dataset, customer_type
order by customer_type;
