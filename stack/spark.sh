#!/usr/bin/env bash
# Local Spark for the Glue job: PySpark comes from PyPI (.venv); this script adds the s3a connector
# (hadoop-aws plus the few AWS SDK v2 modules it needs) from Maven Central, so spark-submit can read
# and write the local S3 store, and a class-data-sharing archive of Spark's classes that shortens the
# JVM's start-up (Spark loads thousands of classes from ~300 jars on every spark-submit).
# Usage: stack/spark.sh install | env | cds | check
source "$(dirname "$0")/lib.sh"
POM="$ROOT/stack/spark/pom.xml"
HADOOP_VERSION="$(sed -n 's:.*<hadoop.version>\(.*\)</hadoop.version>.*:\1:p' "$POM")"
SDK_VERSION="$(sed -n 's:.*<aws.sdk.version>\(.*\)</aws.sdk.version>.*:\1:p' "$POM")"
JARS="$TOOLS_HOME/spark-s3a-$HADOOP_VERSION-sdk-$SDK_VERSION"
STAMP="$JARS/.installed"
# The archive records the absolute paths of the jars it was built from, so it belongs to this
# checkout's .venv (another checkout's JVM would find its paths differ and ignore it).
CDS_DIR="$ROOT/.venv/spark-cds"
PYSPARK_JARS() { ls -d "$ROOT"/.venv/lib/python3*/site-packages/pyspark/jars 2>/dev/null | head -1; }

# hadoop-aws must be built for the Hadoop inside PySpark, or s3a fails with linkage errors at runtime.
check_hadoop() {
  local dir; dir="$(PYSPARK_JARS)"
  [ -n "$dir" ] || { say "ERROR spark: PySpark is not installed in .venv (run: make setup)"; exit 1; }
  local bundled; bundled="$(ls "$dir" | sed -n 's/^hadoop-client-api-\(.*\)\.jar$/\1/p')"
  if [ "$bundled" != "$HADOOP_VERSION" ]; then
    say "ERROR spark: PySpark bundles Hadoop $bundled but stack/spark/pom.xml pins hadoop-aws $HADOOP_VERSION; set <hadoop.version> to $bundled and the SDK version hadoop-project $bundled uses"
    exit 1
  fi
}

# Inputs of the archive: the JDK, the PySpark jars (from the lock) and the job code it was trained on.
cds_inputs() { java -version 2>&1 | head -1; cat "$ROOT/python/requirements.lock" "$POM"; }
cds_file() { echo "$CDS_DIR/spark-$(cds_inputs | sha256sum | cut -c1-16).jsa"; }

# A dynamic AppCDS archive written at the exit of one real run of the job on a small local fixture,
# so the classes of JSON parsing, codegen and the Parquet writer are in it too. Optional: when it
# cannot be built, spark-submit simply starts without it. SPARK_CDS=0 skips it.
install_cds() {
  [ "${SPARK_CDS:-1}" = 0 ] && return 0
  local archive; archive="$(cds_file)"
  [ -f "$archive" ] && return 0
  local sample="$ROOT/../shared/data/amazon_sale_report_sample.csv"
  [ -f "$sample" ] || { say "spark: no $sample to train the start-up archive on; skipping it"; return 0; }
  local started=$SECONDS tmp; tmp="$(mktemp -d)"
  say "building Spark's class-data-sharing archive (one training run of the job, about a minute)"
  mkdir -p "$CDS_DIR"
  "$ROOT/.venv/bin/python" "$ROOT/glue/tools/bronze_from_csv.py" --source "$sample" --lake "$tmp" --dataset cds >/dev/null
  if (cd "$ROOT/glue/jobs" && PATH="$ROOT/.venv/bin:$PATH" PYSPARK_PYTHON="$ROOT/.venv/bin/python" SPARK_LOCAL_IP=127.0.0.1 \
      "$ROOT/.venv/bin/spark-submit" --master 'local[2]' --conf spark.ui.enabled=false \
      --conf spark.driver.bindAddress=127.0.0.1 --conf spark.driver.host=127.0.0.1 \
      --driver-java-options "-XX:ArchiveClassesAtExit=$archive.tmp -Dlog4j2.configurationFile=file:$ROOT/stack/spark/log4j2.properties" \
      clean_order_lines.py --dataset cds --dt 2022-04-30 --to 2022-04-30 --lake_root "file://$tmp" --run_id cds \
      >"$tmp/train.log" 2>&1) && [ -s "$archive.tmp" ]; then
    mv "$archive.tmp" "$archive"
    say "start-up archive ready: $archive ($(du -sh "$archive" | cut -f1), $((SECONDS - started))s)"
  else
    rm -f "$archive.tmp"; say "spark: could not build the start-up archive (see $tmp/train.log); spark-submit starts without it"
    return 0
  fi
  rm -rf "$tmp"
}

install() {
  check_hadoop
  install_jars
  install_cds
}

install_jars() {
  stamp_fresh "$STAMP" "$POM" && return 0
  local started=$SECONDS
  say "resolving hadoop-aws $HADOOP_VERSION and AWS SDK $SDK_VERSION (s3, s3-transfer-manager, sts) from Maven Central into $JARS"
  rm -rf "$JARS"; mkdir -p "$JARS"
  mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$JARS" \
    || { say "ERROR spark: mvn could not resolve the s3a jars (see the output above)"; exit 1; }
  stamp_write "$STAMP" "$POM"
  say "s3a jars ready: $(ls "$JARS"/*.jar | wc -l) jars, $(du -sh "$JARS" | cut -f1), in $((SECONDS - started))s"
}

case "${1:-}" in
  install) install ;;
  # What glue-transform needs: JARS=<comma-separated jars for --jars>, CDS=<archive or empty>.
  env) install >&2; echo "JARS=$(ls "$JARS"/*.jar | paste -sd,)"; a="$(cds_file)"; [ -f "$a" ] && echo "CDS=$a" || echo "CDS=" ;;
  # The start-up archive's path if it was built (never builds it).
  cds) a="$(cds_file)"; [ -f "$a" ] && echo "$a" || true ;;
  check) check_hadoop; stamp_fresh "$STAMP" "$POM" && echo "$JARS" ;;
  *) echo "usage: $0 install|env|cds|check" >&2; exit 2 ;;
esac
