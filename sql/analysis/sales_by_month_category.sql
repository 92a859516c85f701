-- Realised revenue, units and lines by month and category, for one dataset and date range.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
-- Why the physical design helps: the dt range lets PostgreSQL read only the monthly partitions it
-- covers, and Redshift skip blocks through the (dataset, dt) sort key; dim_date and dim_product
-- are DISTSTYLE ALL, so the joins stay on each node.
with lines as (
    select f.date_key, f.product_key, f.qty, f.realised_amount
    from sales.fact_order_lines as f
    where f.dataset = $1
      and f.dt between cast($2 as date) and cast($3 as date)
      and not f.is_non_amazon
),

monthly as (
    select d.year_month, p.category, count(*) as lines, sum(l.qty) as units,
           sum(l.realised_amount) as realised_revenue
    from lines as l
    join sales.dim_date as d on d.date_key = l.date_key
    join sales.dim_product as p on p.product_key = l.product_key
    group by d.year_month, p.category
)

select year_month, category, lines, units, realised_revenue
from monthly
order by year_month, realised_revenue desc, category;
