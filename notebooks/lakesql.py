"""The lake from a notebook: SQL through `bin/pipeline serve-sql`, results as pandas DataFrames.

The Hive JDBC driver (the one beeline and DBeaver use; it comes with Spark's Thrift server in
jobs/target/lib) runs in a JVM inside this Python process, started by JPype. Settings, from the
environment:

- LAKE_JDBC_URL: the server (default jdbc:hive2://127.0.0.1:10000/default, what serve-sql prints);
- LAKE_JDBC_CLASSPATH: where the driver is, entries separated by ':' and 'DIR/*' for every jar
  of a folder (default: this repository's jobs/target/lib/*, built by bin/pipeline);
- LAKE_NOTEBOOK_STRICT=1: a query that returns no rows raises (the notebook test sets it, so a
  cell that shows nothing fails instead of passing unnoticed).

    import lakesql
    df = lakesql.query("SELECT source, count(*) AS examples FROM examples GROUP BY source")
"""

import atexit
import glob
import os
from pathlib import Path

import jpype
import pandas as pd

DEFAULT_URL = "jdbc:hive2://127.0.0.1:10000/default"
REPO = Path(__file__).resolve().parent.parent
# A guard against pulling a whole table into the notebook's memory: aggregate or LIMIT instead.
MAX_ROWS = int(os.environ.get("LAKE_MAX_ROWS", "200000"))

_connection = None


class LakeError(RuntimeError):
    """The server is unreachable, refused a statement, or (strict mode) a query returned nothing."""


def strict():
    return os.environ.get("LAKE_NOTEBOOK_STRICT", "") not in ("", "0", "false")


def _jars(entries):
    jars = []
    for entry in entries:
        if entry.endswith("*"):
            jars.extend(sorted(glob.glob(entry + ".jar")))
        elif entry:
            jars.append(entry)
    return jars


def _jpype_jar():
    """JPype's own support jar. Debian ships it as /usr/share/java/org.jpype.jar and JPype 1.4 does
    not find it there by itself (startJVM fails with ClassNotFoundException:
    org.jpype.classloader.DynamicClassLoader), so it goes on the class path; a pip install keeps
    it next to the module, where JPype looks anyway."""
    for candidate in (Path(jpype.__file__).resolve().parent.parent / "org.jpype.jar", Path("/usr/share/java/org.jpype.jar")):
        if candidate.exists():
            return [str(candidate)]
    return []


def _start_jvm():
    if jpype.isJVMStarted():
        return
    configured = os.environ.get("LAKE_JDBC_CLASSPATH")
    entries = configured.split(os.pathsep) if configured else [str(REPO / "jobs" / "target" / "lib" / "*")]
    jars = _jars(entries)
    if not configured and not any(Path(j).name.startswith("hive-jdbc") for j in jars):
        raise LakeError(f"no Hive JDBC driver under {entries[0]}: build it with `./mvnw -q -DskipTests package` "
                        "(or run bin/pipeline once), or point LAKE_JDBC_CLASSPATH at a folder with hive-jdbc and its jars")
    # interrupt=False: the kernel's interrupt (Ctrl-C) stays a KeyboardInterrupt in Python.
    jpype.startJVM("-Xmx512m", classpath=_jpype_jar() + jars, convertStrings=False, interrupt=False)


def _first_line(java_exception):
    """The server's message without the server's stack trace, which the driver appends to it."""
    return str(java_exception.getMessage()).split("\n", 1)[0]


def connect(url=None):
    """Opens (once) the connection every query uses; url defaults to LAKE_JDBC_URL."""
    global _connection
    if _connection is not None:
        return _connection
    url = url or os.environ.get("LAKE_JDBC_URL", DEFAULT_URL)
    _start_jvm()
    jpype.JClass("org.apache.hive.jdbc.HiveDriver")  # registers the driver with DriverManager
    DriverManager = jpype.JClass("java.sql.DriverManager")
    try:
        _connection = DriverManager.getConnection(url, "", "")
        atexit.register(close)  # a kernel that exits says goodbye, rather than leaving the server a broken socket
    except jpype.JException as e:
        raise LakeError(f"cannot connect to {url}: {_first_line(e)}\n"
                        "Start the server first: bin/pipeline serve-sql --lake DIR (or set LAKE_JDBC_URL)") from None
    return _connection


def close():
    global _connection
    if _connection is not None:
        _connection.close()
        _connection = None


# java.sql.Types codes, read with the getter that keeps the value's type.
_INTEGERS = {-6, 5, 4, -5}          # TINYINT SMALLINT INTEGER BIGINT
_REALS = {6, 7, 8, 2, 3}            # FLOAT REAL DOUBLE NUMERIC DECIMAL
_BOOLEANS = {16, -7}                # BOOLEAN BIT
_TIMES = {91, 93}                   # DATE TIMESTAMP


def _column(rs, i, kind):
    if kind in _INTEGERS:
        v = rs.getLong(i)
        return None if rs.wasNull() else int(v)
    if kind in _REALS:
        v = rs.getDouble(i)
        return float("nan") if rs.wasNull() else float(v)
    if kind in _BOOLEANS:
        v = rs.getBoolean(i)
        return None if rs.wasNull() else bool(v)
    v = rs.getString(i)  # strings; arrays, maps and structs arrive as text: use to_json() / array_join() in the SQL
    return None if v is None else str(v)


def query(sql, allow_empty=False):
    """Runs one statement on the server and returns its rows as a DataFrame (column names as in
    the SELECT). Dates and timestamps become datetime64 columns, integers with nulls Int64."""
    connection = connect()
    statement = connection.createStatement()
    try:
        statement.setFetchSize(10000)
        try:
            rs = statement.executeQuery(sql)
        except jpype.JException as e:
            raise LakeError(f"{_first_line(e)}\nin: {sql}") from None
        meta = rs.getMetaData()
        n = meta.getColumnCount()
        names = [str(meta.getColumnLabel(i)) for i in range(1, n + 1)]
        kinds = [int(meta.getColumnType(i)) for i in range(1, n + 1)]
        rows = []
        while rs.next():
            if len(rows) >= MAX_ROWS:
                raise LakeError(f"more than {MAX_ROWS} rows (LAKE_MAX_ROWS): aggregate or add a LIMIT\nin: {sql}")
            rows.append([_column(rs, i + 1, kinds[i]) for i in range(n)])
    finally:
        statement.close()
    if not rows and strict() and not allow_empty:
        raise LakeError(f"no rows (LAKE_NOTEBOOK_STRICT is set, so every query must return some)\nin: {sql}")
    df = pd.DataFrame(rows, columns=names)
    for name, kind in zip(names, kinds):
        if kind in _TIMES:
            df[name] = pd.to_datetime(df[name])
        elif kind in _INTEGERS and df[name].isna().any():
            df[name] = df[name].astype("Int64")
    return df
