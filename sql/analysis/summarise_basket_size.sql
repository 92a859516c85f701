-- mart: mart_basket_size
-- Basket size: Amazon.in orders by their number of lines (5 stands for 5 or more), with units
-- per order and the AOV of the realised ones.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with orders as (
    select dataset, order_id,
           count(*) as basket_lines,
           sum(qty) as units,
           sum(revenue) as revenue,
           max(case when is_realised then 1 else 0 end) as realised
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
      and not is_non_amazon
    group by dataset, order_id
),

sized as (
    select dataset, case when basket_lines >= 5 then 5 else basket_lines end as basket_lines,
           units, revenue, realised
    from orders
)

select dataset, basket_lines,
       count(*) as orders,
       round(avg(1.0 * units), 4) as avg_units,
       sum(revenue) as realised_revenue,
       round(sum(revenue) / nullif(sum(realised), 0), 2) as avg_order_value,
       round(1.0 * count(*) / sum(count(*)) over (partition by dataset), 6) as order_share
from sized
group by dataset, basket_lines
order by basket_lines;
