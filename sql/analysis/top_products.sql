-- The best-selling products of one category by realised revenue in a date range.
-- Parameters: $1 dataset, $2 first date, $3 last date, $4 category, $5 how many.
-- Why the physical design helps: PostgreSQL finds the category's product keys in dim_product,
-- then, for a rare category (most are: Saree is 0.13 % of the real lines), their lines through
-- fact_order_lines_product_ix (product_key) instead of scanning every line of the range; a common
-- category (Set, 39 %) is a scan of the range's partitions. Redshift prunes by the (dataset, dt)
-- sort key.
with products as (
    select product_key, sku, style, size
    from sales.dim_product
    where category = $4
),

lines as (
    select f.product_key, f.qty, f.realised_amount
    from sales.fact_order_lines as f
    join products as p on p.product_key = f.product_key
    where f.dataset = $1
      and f.dt between cast($2 as date) and cast($3 as date)
      and not f.is_non_amazon
),

ranked as (
    select p.sku, p.style, p.size, sum(l.qty) as units, sum(l.realised_amount) as realised_revenue
    from lines as l
    join products as p on p.product_key = l.product_key
    group by p.sku, p.style, p.size
)

select sku, style, size, units, realised_revenue
from ranked
order by realised_revenue desc, sku
limit $5;
