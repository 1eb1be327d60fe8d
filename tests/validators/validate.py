"""Validates exported documents with independent validators from PyPI.

    validate.py cyclonedx FILE...   CycloneDX 1.6 JSON Schema (cyclonedx-python-lib, strict)
    validate.py spdx FILE...        SPDX 3.0.1 model (spdx-python-model): every
                                    element's type, properties and their
                                    cardinality, and every reference resolved
    validate.py lm-eval FILE...     lm-evaluation-harness results JSON (lm-eval):
                                    the keys its `result_schema` declares, and
                                    the table its `make_table` prints of it
                                    (printed, for the caller to read)

Prints one line per invalid file and exits 1 if any is invalid.
"""
import io
import sys


def cyclonedx(path):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    with open(path) as f:
        error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(f.read())
    # The first line says what failed and where; the rest is the schema.
    return str(error).splitlines()[0] if error else None


def spdx(path):
    from spdx_python_model import v3_0_1 as model

    objects = model.SHACLObjectSet()
    try:
        with open(path) as f:
            model.JSONLDDeserializer().read(f, objects)
        missing = objects.link()
        if missing:
            return f"unresolved references: {sorted(missing)}"
        # Serialising checks each property's required and allowed counts.
        model.JSONLDSerializer().write(objects, io.BytesIO())
    except Exception as e:  # the bindings raise TypeError, ValueError, KeyError…
        return f"{type(e).__name__}: {e}"
    return None


def lm_eval(path):
    import json

    from lm_eval import result_schema as schema
    from lm_eval.utils import make_table

    with open(path) as f:
        results = json.load(f)
    unknown = set(results) - set(schema.EvalResults.__annotations__)
    if unknown:
        return f"keys the harness does not know: {sorted(unknown)}"
    unknown = set(results["config"]) - set(schema._EvalConfig.__annotations__)
    if unknown:
        return f"config keys the harness does not know: {sorted(unknown)}"
    for task, metrics in results["results"].items():
        for key in schema._TaskMetrics.__required_keys__:
            want = schema._TaskMetrics.__annotations__[key]
            if not isinstance(metrics.get(key), want):
                return f"results.{task}.{key} is not a {want.__name__}"
        for key, value in metrics.items():
            if key in schema._TaskMetrics.__annotations__:
                continue
            # A metric's value, or "N/A" for a standard error the harness
            # could not compute (evaluator_utils._compute_task_aggregations).
            stderr_na = value == "N/A" and key.partition(",")[0].endswith("_stderr")
            if "," not in key or not (isinstance(value, (int, float)) or stderr_na):
                return f"results.{task}: `{key}: {value!r}` is not `<metric>,<filter>: number`"
        for table in ("configs", "versions", "n-shot", "higher_is_better", "n-samples"):
            if task not in results[table]:
                return f"{table} has no `{task}`"
        count = results["n-samples"][task]
        for key, want in schema._SampleCount.__annotations__.items():
            if not isinstance(count.get(key), want):
                return f"n-samples.{task}.{key} is not a {want.__name__}"
        if not isinstance(results["n-shot"][task], int):
            return f"n-shot.{task} is not an int"
    print(make_table(results))
    return None


def main():
    kind, paths = sys.argv[1], sys.argv[2:]
    check = {"cyclonedx": cyclonedx, "spdx": spdx, "lm-eval": lm_eval}[kind]
    bad = 0
    for path in paths:
        error = check(path)
        if error:
            bad += 1
            print(f"{path}: {error}")
    print(f"{len(paths) - bad} valid, {bad} invalid")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
