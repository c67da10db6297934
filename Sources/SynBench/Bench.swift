import SynScenes
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One named benchmark: each run returns one value per figure (e.g. GFLOP/s, ms, steps/s).
///
/// Results are printed as `group/name.figure` rows; `--json` prints one object per figure with
/// `name`, `unit`, `median`, `min`, `max`, `runs` (a stable contract, see README).
public struct BenchCase: Sendable {
    /// Group selected by `synaptop bench GROUP` (e.g. `kernels`, `eigen`, `cuba`, `mlp`).
    public var group: String
    /// Case name, unique within its group (e.g. `sgemm_n256`).
    public var name: String
    /// Figures reported by each run, with units.
    public var figures: [BenchFigure]
    /// Number of measured runs (after one warm-up run unless `warmup` is false).
    public var runs: Int
    public var warmup: Bool
    /// Performs one run and returns one value per figure. It times itself (see `BenchClock`),
    /// so setup outside the timed span is excluded.
    public var run: @Sendable () -> [Double]

    public init(group: String, name: String, figures: [BenchFigure], runs: Int = 5, warmup: Bool = true,
                run: @escaping @Sendable () -> [Double]) {
        self.group = group
        self.name = name
        self.figures = figures
        self.runs = runs
        self.warmup = warmup
        self.run = run
    }
}

/// A reported quantity and its unit; `higherIsBetter` orders the "best" column.
public struct BenchFigure: Sendable, Equatable {
    public var name: String
    public var unit: String
    public init(_ name: String, unit: String) {
        self.name = name
        self.unit = unit
    }
}

/// Aggregated result of one figure of one case.
public struct BenchResult: Sendable, Equatable {
    public var name: String
    public var unit: String
    public var median: Double
    public var min: Double
    public var max: Double
    public var runs: Int

    /// One JSON object on one line (the `--json` contract).
    public var json: String {
        "{\"name\":\"\(name)\",\"unit\":\"\(unit)\",\"median\":\(Self.num(median)),\"min\":\(Self.num(min)),\"max\":\(Self.num(max)),\"runs\":\(runs)}"
    }

    static func num(_ x: Double) -> String { x.isFinite ? String(x) : "null" }
}

/// Monotonic wall-clock timing.
public enum BenchClock {
    /// Seconds elapsed while running `body`.
    public static func seconds(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Peak resident memory of this process so far, in MiB (Linux: VmHWM).
    public static func peakMemoryMiB() -> Double {
        var ru = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &ru)
        return Double(ru.ru_maxrss) / 1024  // KiB on Linux
        #else
        getrusage(RUSAGE_SELF, &ru)
        return Double(ru.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }
}

/// Runs cases and aggregates medians.
public enum BenchRunner {
    /// Runs one case: warm-up (optional) then `runs` measured runs.
    public static func measure(_ c: BenchCase) -> [BenchResult] {
        if c.warmup { _ = c.run() }
        var samples = [[Double]](repeating: [], count: c.figures.count)
        for _ in 0..<max(1, c.runs) {
            let v = c.run()
            for (i, x) in v.prefix(c.figures.count).enumerated() { samples[i].append(x) }
        }
        return c.figures.enumerated().map { i, f in
            let s = samples[i].sorted()
            let med = s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
            return BenchResult(name: "\(c.group)/\(c.name).\(f.name)", unit: f.unit, median: med,
                               min: s.first ?? .nan, max: s.last ?? .nan, runs: s.count)
        }
    }

    /// A fixed-width table of results.
    public static func table(_ results: [BenchResult]) -> String {
        let w = max(24, results.map(\.name.count).max() ?? 0)
        var out = pad("benchmark", w) + "  " + lpad("median", 12) + "  " + lpad("min", 12) + "  " + lpad("max", 12) + "  unit        runs\n"
        for r in results {
            out += pad(r.name, w) + "  " + lpad(fmt(r.median), 12) + "  " + lpad(fmt(r.min), 12) + "  " + lpad(fmt(r.max), 12)
                + "  " + pad(r.unit, 10) + "  " + String(r.runs) + "\n"
        }
        return out
    }

    static func fmt(_ x: Double) -> String { x.isFinite ? NumberFormat.value(x) : "-" }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
    static func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
}

/// Every benchmark the `bench` command knows, grouped. Areas add cases in their own files as
/// `static var xxxCases: [BenchCase]` in an extension and list them here.
public enum BenchSuite {
    public static func all() -> [BenchCase] {
        kernelCases + eigenCases + mlpCases + sceneCases + spikingCases + conductanceCases + rewindCases
            + brunelCases + rateThreadCases
    }

    public static var groups: [String] {
        var seen: [String] = []
        for c in all() where !seen.contains(c.group) { seen.append(c.group) }
        return seen
    }
}
