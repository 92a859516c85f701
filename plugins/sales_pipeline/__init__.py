"""Airflow-side helpers of the sales pipeline: the one operator factory and failure alerts."""
