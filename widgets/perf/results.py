"""The benchmark's results: a Measurement per (workload, size, system), a BenchmarkResult holding them with
the run's meta (machine, versions, limits), its JSON file format (strict JSON: NaN as null, infinity as "inf";
older files load), and the markdown tables and labels a lesson shows. Pure: no process, no timing."""
import dataclasses
import json
import math
import os

from widgets.perf.workloads import SYSTEMS, WORKLOADS

NOISY_SPREAD = 0.25  # rounds whose quartiles lie further apart than this (relative to the median) are noisy


@dataclasses.dataclass
class Measurement:
    """One system on one (workload, size): its times, its check against NumPy, and what follows from them."""
    workload: str
    size: int
    system: str
    median_s: float = float("nan")
    q1_s: float = float("nan")
    q3_s: float = float("nan")
    first_call_s: float = float("nan")
    setup_s: float = float("nan")
    calls_per_round: int = 0
    break_even_calls: float = float("nan")
    break_even_vs: str = ""
    flops: float = 0.0
    bytes: float = 0.0
    roofline_fraction: float = float("nan")
    correct: bool = False
    max_error: float = float("nan")
    error: str = ""

    @property
    def ok(self):
        return self.correct and not self.error and self.median_s == self.median_s

    @property
    def spread(self):
        """The rounds' interquartile range relative to their median: how much one run's number can move."""
        return (self.q3_s - self.q1_s) / self.median_s if self.median_s > 0 else float("nan")

    @property
    def noisy(self):
        """Whether the rounds disagreed by more than NOISY_SPREAD: a ratio to this number is not to be trusted."""
        return self.spread > NOISY_SPREAD


FIELDS = {f.name for f in dataclasses.fields(Measurement)}
_FLOAT_FIELDS = {f.name for f in dataclasses.fields(Measurement) if f.type in (float, "float")}


def _json_number(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None if value != value else ("inf" if value > 0 else "-inf")
    return value


def _read_number(field, value):
    if field in _FLOAT_FIELDS:
        return math.nan if value is None else float(value)
    return value


@dataclasses.dataclass
class BenchmarkResult:
    meta: dict
    measurements: list

    def to_json(self):
        """Strict JSON: a missing number (NaN) is written as null, an infinite one as "inf"."""
        return json.dumps({"meta": self.meta, "measurements": [
            {k: _json_number(v) for k, v in dataclasses.asdict(m).items()} for m in self.measurements]},
            indent=1, allow_nan=False)

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        return cls(data["meta"], [Measurement(**{k: _read_number(k, v) for k, v in m.items() if k in FIELDS})
                                  for m in data["measurements"]])

    @classmethod
    def load(cls, path):
        with open(path) as fh:
            return cls.from_json(fh.read())

    def save(self, path):
        os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
        with open(path, "w") as fh:
            fh.write(self.to_json() + "\n")

    @property
    def label(self):
        """Where and when it was measured, as a reader needs it beside a plot."""
        return machine_label(self.meta)

    def workloads(self):
        names = {m.workload for m in self.measurements}
        return [w for w in WORKLOADS if w in names] + sorted(names - set(WORKLOADS))

    def systems(self, workload=None):
        names = {m.system for m in self.measurements if workload in (None, m.workload)}
        return [s for s in SYSTEMS if s in names] + sorted(names - set(SYSTEMS))

    def sizes(self, workload):
        return sorted({m.size for m in self.measurements if m.workload == workload})

    def find(self, workload, size, system):
        return next((m for m in self.measurements
                     if (m.workload, m.size, m.system) == (workload, size, system)), None)

    def series(self, workload, system, field="median_s"):
        """(sizes, values) of one system's good measurements of a workload, by increasing size."""
        ms = sorted((m for m in self.measurements
                     if m.workload == workload and m.system == system and m.ok), key=lambda m: m.size)
        return [m.size for m in ms], [getattr(m, field) for m in ms]

    def failures(self):
        return [m for m in self.measurements if not m.ok]

    def table(self, field="median_s"):
        """A markdown table: `field` (median or first-call time) per system, with the steady-state
        ratio to NumPy in brackets."""
        systems = self.systems()
        rows = ["| workload | size | " + " | ".join(systems) + " |",
                "|---|---:|" + "---:|" * len(systems)]
        keys = sorted({(m.workload, m.size) for m in self.measurements},
                      key=lambda k: (self.workloads().index(k[0]), k[1]))
        for w, n in keys:
            base = self.find(w, n, "numpy")
            cells = []
            for s in systems:
                m = self.find(w, n, s)
                if m is None or not m.ok:
                    cells.append("—" if m is None else ("wrong" if m.error.startswith("result")
                                                        else "error"))
                    continue
                ratio = (f" ({ratio_text(m.median_s / base.median_s)})"
                         if field == "median_s" and base is not None and base.ok else "")
                cells.append(f"{format_time(getattr(m, field))}{ratio}")
            rows.append(f"| {w} | {n} | " + " | ".join(cells) + " |")
        return "\n".join(rows)

    def workload_table(self, workload, field="median_s"):
        """A narrow markdown table for one workload: a row per system, a column per size. Steady-state cells
        give the ratio to NumPy ("430\u00d7" is 430 times NumPy's time); "~" marks a measurement whose rounds
        (or NumPy's did) by more than NOISY_SPREAD, so that a ratio near 1 is not read as a difference."""
        sizes = self.sizes(workload)
        rows = ["| system | " + " | ".join(f"{n:,}" for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]
        for system in self.systems(workload):
            cells = []
            for n in sizes:
                m, base = self.find(workload, n, system), self.find(workload, n, "numpy")
                if m is None or not m.ok:
                    cells.append("\u2014" if m is None else "error")
                    continue
                mark = "~" if field == "median_s" and (m.noisy or (base is not None and base.noisy)) else ""
                if field == "median_s" and system != "numpy" and base is not None and base.ok:
                    cells.append(f"{mark}{ratio_text(m.median_s / base.median_s)}")
                else:
                    cells.append(f"{mark}{format_time(getattr(m, field))}")
            rows.append(f"| {system} | " + " | ".join(cells) + " |")
        return "\n".join(rows)


# ----------------------------------------------------------------------------------------------
# Writing numbers as a reader reads them

def first_call_table(result):
    """A markdown table of first calls (trace + compile + run) at each workload's largest size: a row per system."""
    largest = {w: max(result.sizes(w)) for w in result.workloads()}
    rows = ["| system | " + " | ".join(largest) + " |", "|---|" + "---:|" * len(largest),
            "| *size* | " + " | ".join(f"*{n:,}*" for n in largest.values()) + " |"]
    for system in result.systems():
        cells = []
        for w, n in largest.items():
            m = result.find(w, n, system)
            cells.append("\u2014" if m is None else format_time(m.first_call_s) if m.ok else "error")
        rows.append(f"| {system} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def ratio_text(ratio):
    """A ratio as a reader says it: 430\u00d7, 18\u00d7, 1.8\u00d7, 0.077\u00d7 (never 4.3e+02x)."""
    if ratio != ratio:
        return "nan"
    if ratio >= 10:
        return f"{ratio:,.0f}\u00d7"
    return f"{ratio:.2g}\u00d7"


def format_time(t):
    if t != t:
        return "nan"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def machine_label(meta):
    """'<device> · <date>' from a result's meta (older files may lack the device)."""
    device = meta.get("device") or meta.get("processor") or meta.get("machine") or "unknown machine"
    gpu = meta.get("limits", {}).get("gpu_name")
    if gpu and gpu not in device:
        device = f"{device} + {gpu}"
    date = str(meta.get("date", ""))[:10] or "undated"
    return f"{device} · {date}"

