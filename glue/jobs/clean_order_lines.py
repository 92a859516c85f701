"""AWS Glue entrypoint of the order-line transform; local Spark runs the same file.

On Glue (5.0: Spark 3.5, Python 3.11) the arguments come from getResolvedOptions and the session
from GlueContext; the order_lines package arrives through --extra-py-files. Locally, spark-submit
passes the same arguments and the package through --py-files; awsglue is then absent (it is not on
PyPI) and plain argparse reads the arguments.

    spark-submit --py-files order_lines.zip clean_order_lines.py --JOB_NAME glue-transform \
        --dataset kaggle-sample --dt 2022-04-30 --to 2022-04-30 --lake_root s3a://sales-pipeline \
        --run_id <id>

Exit status locally: 0 ok, 1 input rejected (schema drift, no bronze), anything else a crash.
"""

import argparse
import sys
import time

STARTED_AT = time.time()
ARGUMENTS = ("JOB_NAME", "dataset", "dt", "to", "lake_root", "run_id")


def on_glue() -> bool:
    try:
        import awsglue  # noqa: F401
    except ImportError:
        return False
    return True


def local_arguments(argv: list[str]) -> dict[str, str]:
    """The Glue-style `--name value` arguments, parsed the same way off Glue."""
    parser = argparse.ArgumentParser(prog="clean_order_lines.py", description=__doc__.split("\n\n")[0])
    for name in ARGUMENTS:
        parser.add_argument(f"--{name}", required=name != "JOB_NAME", default="glue-transform")
    return vars(parser.parse_args(argv))


def main(argv: list[str]) -> int:
    owns_session = False
    if on_glue():
        from awsglue.context import GlueContext
        from awsglue.job import Job
        from awsglue.utils import getResolvedOptions
        from pyspark.context import SparkContext

        args = getResolvedOptions(argv, list(ARGUMENTS))
        glue_context = GlueContext(SparkContext.getOrCreate())
        spark = glue_context.spark_session
        job = Job(glue_context)
        job.init(args["JOB_NAME"], args)
    else:
        from pyspark.sql import SparkSession

        args = local_arguments(argv[1:])
        owns_session = SparkSession.getActiveSession() is None
        spark = SparkSession.builder.appName(args["JOB_NAME"]).getOrCreate()
        job = None

    from order_lines.errors import InputRejected
    from order_lines.job import JobOptions, fail, run

    options = JobOptions(
        dataset=args["dataset"],
        dt=args["dt"],
        to=args["to"] or args["dt"],
        lake_root=args["lake_root"],
        run_id=args["run_id"],
        started_at=STARTED_AT,
    )
    try:
        run(spark, options)
    except InputRejected as error:
        fail(error)
        if job is not None:
            raise  # Glue marks the run FAILED with this message (the step maps it to exit 1)
        return 1
    finally:
        if job is None and owns_session:
            spark.stop()
    if job is not None:
        job.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
