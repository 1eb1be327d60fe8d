"""Validates exported documents with independent validators from PyPI.

    validate.py cyclonedx FILE...   CycloneDX 1.6 JSON Schema (cyclonedx-python-lib, strict)
    validate.py spdx FILE...        SPDX 3.0.1 model (spdx-python-model): every
                                    element's type, properties and their
                                    cardinality, and every reference resolved

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


def main():
    kind, paths = sys.argv[1], sys.argv[2:]
    check = {"cyclonedx": cyclonedx, "spdx": spdx}[kind]
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
