"""Airflow 2 (2.6 or later: `skip_on_exit_code`) DAGs for toolcall-pipeline.

Two DAGs: `toolcall_pipeline_nightly` runs `bin/pipeline run` every night at 02:30, and
`toolcall_pipeline_maintain` runs `bin/pipeline maintain` every Sunday at 05:00. Neither needs a
pool or lock of its own: every writing command takes the lake's lock, `<lake>/_pipeline.lock`,
and exits 3 at once while another run holds it.

What each exit code of bin/pipeline becomes here:
  0  ok                                   -> success
  1  failed (an unreadable file; the      -> failed, no retry: the next night reads the failed
     others were processed) or an error      file again anyway, and an error needs a person
  2  bad input or options                 -> failed, no retry: the same command fails the same way
  3  the lake is busy, or a concurrent    -> retried after `retry_delay`: the other run ends and
     commit won (nothing was committed)      frees the lake
  other (137, 143: the JVM was killed)    -> retried: a killed run leaves every table at its last
                                             commit, and the next one completes the work
BashOperator fails every non-zero exit alike, and a failure is retried while retries are left. To
keep 1 and 2 from being retried, they are listed in `skip_on_exit_code` (so BashOperator reports
them as a skip instead of a failure) and PipelineOperator turns that skip into
AirflowFailException, which fails the task whatever retries are left. Nothing is ever skipped.
"""
from __future__ import annotations

import os
import shlex
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowFailException, AirflowSkipException
from airflow.operators.bash import BashOperator

# Where the checkout lives and what it reads and writes (environment of the Airflow worker, or edit),
# quoted for the shell. The worker needs Java 17 on its PATH; build the jar once per deploy
# (./mvnw -B -DskipTests package), or the first run after a deploy builds it.
PIPELINE_HOME = shlex.quote(os.environ.get("PIPELINE_HOME", "/opt/toolcall-pipeline"))
LOGS = shlex.quote(os.environ.get("PIPELINE_LOGS", "/data/toolcalls/logs"))
JOURNALS = shlex.quote(os.environ.get("PIPELINE_JOURNALS", "/data/toolcalls/journals"))
LAKE = shlex.quote(os.environ.get("PIPELINE_LAKE", "/data/toolcalls/lake"))
OUT = shlex.quote(os.environ.get("PIPELINE_OUT", "/data/toolcalls/datasets"))

NO_RETRY_EXIT_CODES = [1, 2]


class PipelineOperator(BashOperator):
    """A bin/pipeline command: exit 1 and 2 fail at once, exit 3 (and a killed JVM) is retried."""

    def __init__(self, **kwargs):
        super().__init__(skip_on_exit_code=NO_RETRY_EXIT_CODES, **kwargs)

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowSkipException as e:
            raise AirflowFailException(
                "bin/pipeline exited with 1 (failed) or 2 (bad input or options), which a retry would not fix: "
                "its error is in the task log"
            ) from e


# Both DAGs: no backfill (a run reads whatever is new or changed, whatever the date, so a missed
# night needs none), one run at a time, 3 retries 20 minutes apart (for exit 3 and killed runs).
COMMON = dict(
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "data", "retries": 3, "retry_delay": timedelta(minutes=20)},
    tags=["toolcall-pipeline"],
)

def pipeline_dag(dag_id: str, description: str, schedule: str, task_id: str, arguments: str, hours: int) -> DAG:
    """A DAG of one task: `bin/pipeline <arguments>` in the checkout."""
    with DAG(dag_id=dag_id, description=description, schedule=schedule, **COMMON) as dag:
        PipelineOperator(
            task_id=task_id,
            bash_command=f"cd {PIPELINE_HOME} && bin/pipeline {arguments}",
            execution_timeout=timedelta(hours=hours),
        )
    return dag


nightly = pipeline_dag(
    "toolcall_pipeline_nightly",
    "Extract what changed in the bot logs and journals; export the datasets when a table changed.",
    "30 2 * * *",
    "pipeline_run",
    f"run --logs {LOGS} --journals {JOURNALS} --lake {LAKE} --out {OUT}",
    hours=3,
)

# Sunday morning, after the night's run; should that run still hold the lake, exit 3 is retried.
weekly = pipeline_dag(
    "toolcall_pipeline_maintain",
    "Weekly table upkeep: OPTIMIZE small files, VACUUM with each table's retention.",
    "0 5 * * 0",
    "pipeline_maintain",
    f"maintain --lake {LAKE}",
    hours=2,
)

# The nightly run on a cluster instead: the application jar and command of the README's "On a
# cluster (spark-submit)" (needs apache-airflow-providers-apache-spark and a spark_default
# connection), as the task of a DAG like the nightly one. SparkSubmitOperator fails every non-zero
# exit alike, so it cannot tell 2 (do not retry) from 3 (retry); to keep that, give the
# spark-submit command line to a PipelineOperator instead.
#
# from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
# with DAG(dag_id="toolcall_pipeline_nightly_cluster", schedule="30 2 * * *", **COMMON):
#     SparkSubmitOperator(
#         task_id="pipeline_run_cluster",
#         conn_id="spark_default",
#         application="/opt/toolcall-pipeline/jobs/target/pipeline.jar",
#         java_class="dev.toolcalls.pipeline.cli.PipelineCli",
#         packages="io.delta:delta-spark_2.12:3.3.2",
#         conf={
#             "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
#             "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
#         },
#         application_args=["run", "--profile", "cluster", "--logs", "s3a://bucket/logs",
#                           "--lake", "s3a://bucket/lake", "--out", "s3a://bucket/datasets"],
#         execution_timeout=timedelta(hours=3),
#     )
