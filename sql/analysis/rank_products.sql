-- mart: mart_product_ranking
-- Every style and every SKU ranked by realised revenue and by units (1 = best); bottom_rank
-- counts from the lowest revenue among those that sold at all (null for items with no realised
-- revenue in the range). Ties break on the item, so ranks are stable across runs.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with lines as (
    select dataset, order_id, style, sku, category, qty, revenue, is_realised
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
),

items as (
    select dataset, 'style' as grain, style as item, max(category) as category,
           sum(revenue) as realised_revenue,
           sum(case when is_realised then qty else 0 end) as units,
           count(distinct case when is_realised then order_id end) as orders
    from lines
    group by dataset, style
    union all
    select dataset, 'sku', sku, max(category),
           sum(revenue),
           sum(case when is_realised then qty else 0 end),
           count(distinct case when is_realised then order_id end)
    from lines
    group by dataset, sku
)

select dataset, grain, item, category, realised_revenue, units, orders,
       row_number() over (partition by dataset, grain order by realised_revenue desc, item) as revenue_rank,
       row_number() over (partition by dataset, grain order by units desc, item) as units_rank,
       case when realised_revenue > 0
            then row_number() over (partition by dataset, grain, realised_revenue > 0
                                    order by realised_revenue, item) end as bottom_rank
from items
order by grain, revenue_rank;
