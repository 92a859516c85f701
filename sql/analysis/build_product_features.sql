-- mart: features_product_segments
-- The product-segmentation features (expectations/features_product_segments.json), one row per
-- style as of the last date of the range (as_of).
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive) = as_of.
with lines as (
    select dataset, dt, order_id, style, category, size, qty, gross_amount, revenue, is_realised,
           is_cancelled, is_returned, has_promotion, is_b2b
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
),

baskets as (
    select order_id, count(*) as basket_lines from lines group by order_id
),

style_sizes as (
    select style, size, sum(qty) as units from lines group by style, size
),

size_mix as (
    select style, count(*) as sizes,
           round(1.0 * max(units) / nullif(sum(units), 0), 6) as top_size_share
    from style_sizes
    group by style
)

select l.dataset, cast($3 as date) as as_of, l.style, max(l.category) as category,
       count(distinct l.order_id) as orders,
       count(*) as lines,
       sum(l.qty) as units,
       sum(l.gross_amount) as gross_amount,
       sum(l.revenue) as realised_amount,
       round(avg(1.0 * b.basket_lines), 4) as avg_basket_lines,
       coalesce(round(sum(l.revenue) / nullif(sum(case when l.is_realised then l.qty else 0 end), 0), 2), 0)
           as avg_unit_price,
       round(1.0 * sum(case when l.is_cancelled then 1 else 0 end) / count(*), 6) as cancel_rate,
       round(1.0 * sum(case when l.is_returned then 1 else 0 end) / count(*), 6) as return_rate,
       round(1.0 * sum(case when l.is_b2b then 1 else 0 end) / count(*), 6) as b2b_share,
       round(1.0 * sum(case when l.has_promotion then 1 else 0 end) / count(*), 6) as promo_share,
       max(m.sizes) as sizes,
       coalesce(max(m.top_size_share), 0) as top_size_share,
       count(distinct l.dt) as days_active,
       min(l.dt) as first_order_date,
       max(l.dt) as last_order_date
from lines as l
join baskets as b on b.order_id = l.order_id
join size_mix as m on m.style = l.style
group by l.dataset, l.style
order by l.style;
