"""Cleaning of Amazon.in order lines from bronze NDJSON into silver Parquet: plain PySpark
DataFrame functions, one per rule of ../shared/DATA.md "Cleaning rules", run by AWS Glue and by
local Spark alike (see glue/README.md)."""
