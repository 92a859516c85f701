-- mart: mart_repeat_customers
-- Repeat customers: ship postal codes (the customer proxy: one code may be several people, so
-- repeat shares are upper bounds) grouped by how many orders they placed in the range, with their
-- share of customers and of realised revenue. Lines without a postal code are left out.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with customers as (
    select dataset, customer_key, count(distinct order_id) as orders, sum(revenue) as revenue
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
      and customer_key is not null
    group by dataset, customer_key
),

bucketed as (
    select dataset, orders, revenue,
           case when orders = 1 then '1' when orders = 2 then '2' when orders <= 4 then '3-4' else '5+' end
               as order_bucket
    from customers
)

select dataset, order_bucket,
       count(*) as customers,
       sum(orders) as orders,
       sum(revenue) as realised_revenue,
       round(1.0 * count(*) / sum(count(*)) over (partition by dataset), 6) as customer_share,
       round(sum(revenue) / nullif(sum(sum(revenue)) over (partition by dataset), 0), 6) as revenue_share
from bucketed
group by dataset, order_bucket
order by order_bucket;
