-- mart: mart_style_pareto
-- The Pareto curve of revenue over styles: styles with realised revenue, best first, with the
-- cumulative share of the range's realised revenue they bring.
-- Parameters: $1 dataset, $2 first date, $3 last date (inclusive).
with styles as (
    select dataset, style, sum(revenue) as realised_revenue
    from order_lines
    where dataset = $1
      and dt between cast($2 as date) and cast($3 as date)
    group by dataset, style
    having sum(revenue) > 0
),

ranked as (
    select dataset, style, realised_revenue,
           row_number() over (partition by dataset order by realised_revenue desc, style) as style_rank,
           count(*) over (partition by dataset) as styles,
           sum(realised_revenue) over (partition by dataset) as total,
           sum(realised_revenue) over (partition by dataset order by realised_revenue desc, style
                                       rows unbounded preceding) as running
    from styles
)

select dataset, style_rank, style, realised_revenue,
       round(1.0 * style_rank / styles, 6) as style_pct,
       round(running / total, 6) as cumulative_share
from ranked
order by style_rank;
