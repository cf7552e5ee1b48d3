"""The schema checker: every CSV row against its Table Schema (types, required, pattern,
enum, minimum/maximum, maxLength, primaryKey, header = field names in order)."""
import csv
import datetime
import io
import re

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
INT_RE = re.compile(r"[+-]?\d+")
NUM_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _cast(typ, fmt, v):
    if typ == "string":
        if fmt == "uri" and not re.fullmatch(r"https?://[^\s]+", v):
            raise ValueError("not a uri")
        if fmt == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+", v):
            raise ValueError("not an email")
        return v
    if typ == "integer":
        if not INT_RE.fullmatch(v):
            raise ValueError("not an integer")
        return int(v)
    if typ == "number":
        if not NUM_RE.fullmatch(v):
            raise ValueError("not a number")
        return float(v)
    if typ == "date":
        if not DATE_RE.fullmatch(v):
            raise ValueError("not YYYY-MM-DD")
        return datetime.date.fromisoformat(v)
    if typ == "boolean":
        if v not in ("true", "false"):
            raise ValueError("not a boolean")
        return v == "true"
    raise ValueError("checker does not know type " + typ)


def check_csv(path, sch, encoding="utf-8"):
    """Validate one CSV file against a schema; return the number of data rows."""
    raw = open(path, "rb").read()
    codec = "cp932" if encoding in ("shift_jis", "cp932", "windows-31j") else "utf-8"
    if codec == "utf-8" and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode(codec)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    fields = sch["fields"]
    names = [f["name"] for f in fields]
    errs = []
    if rows[0] != names:
        errs.append(f"header {rows[0]} != {names}")
    missing = sch.get("missingValues", [""])
    pk = sch.get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else pk
    pki = [names.index(k) for k in pk]
    seen = set()
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(fields):
            errs.append(f"row {n}: {len(row)} cells, {len(fields)} fields")
            continue
        vals = []
        for f, v in zip(fields, row):
            c = f.get("constraints", {})
            if v[:1] in ("=", "+", "-", "@"):
                errs.append(f"row {n} {f['name']}: formula-like cell {v!r}")
            if v in missing:
                vals.append(None)
                if c.get("required"):
                    errs.append(f"row {n} {f['name']}: required")
                continue
            try:
                x = _cast(f.get("type", "string"), f.get("format"), v)
            except ValueError as e:
                errs.append(f"row {n} {f['name']}: {v!r} {e}")
                vals.append(None)
                continue
            vals.append(x)
            if "pattern" in c and not re.fullmatch(c["pattern"], v):
                errs.append(f"row {n} {f['name']}: {v!r} !~ {c['pattern']}")
            if "enum" in c and v not in c["enum"]:
                errs.append(f"row {n} {f['name']}: {v!r} not in enum")
            for k, op in (("minimum", lambda a, b: a >= b), ("maximum", lambda a, b: a <= b)):
                if k in c:
                    lim = c[k]
                    if isinstance(x, datetime.date):
                        lim = datetime.date.fromisoformat(lim)
                    if not op(x, lim):
                        errs.append(f"row {n} {f['name']}: {v!r} violates {k} {c[k]}")
            if "maxLength" in c and len(v) > c["maxLength"]:
                errs.append(f"row {n} {f['name']}: longer than {c['maxLength']}")
        if pki:
            key = tuple(vals[i] for i in pki)
            if key in seen:
                errs.append(f"row {n}: duplicate primary key {key}")
            seen.add(key)
    if errs:
        raise SystemExit(f"{path}: {len(errs)} errors\n  " + "\n  ".join(errs[:30]))
    return len(rows) - 1
