import SynCore
import SynModels

/// K copies of one scene, one per seed, the same rule and settings, stepped in lockstep: how
/// much of a run's curve is the scene and how much is the seed. Copy k's rows equal
/// `synaptop run SCENE --seed k` (tested); the spread across copies at each metrics row is the
/// ensemble's band.
public struct SeedEnsemble {
    public let spec: SceneSpec
    public let seeds: [UInt64]
    private var copies: Lockstep

    /// Builds one copy per seed (the spec carries the rule and overrides); a seed listed twice
    /// is a one-line error.
    public init(spec: SceneSpec, seeds: [UInt64]) throws(SceneError) {
        guard !seeds.isEmpty else { throw SceneError(file: spec.file, key: nil, message: "--seeds: expected at least one seed") }
        guard Set(seeds).count == seeds.count else { throw SceneError(file: spec.file, key: nil, message: "--seeds: a seed is listed twice") }
        self.spec = spec
        self.seeds = seeds
        var sessions: [SceneSession] = []
        for seed in seeds { sessions.append(try SceneSession(spec: spec, seed: seed)) }
        copies = Lockstep(sessions)
    }

    /// Steps taken by every copy.
    public var step: Int { copies.step }

    /// The metric names (the same for every copy).
    public var metricNames: [String] { copies.sessions.first?.metricNames ?? [] }

    /// Each copy's rows (step 0 included), in `seeds` order.
    public var rows: [[MetricRow]] { copies.rows }

    /// Advances every copy by `steps` on up to `threads` threads (the rows do not depend on it).
    public mutating func advance(_ steps: Int, threads: Int) {
        copies.advance(steps, threads: threads)
    }

    /// The seeds whose metrics stopped being finite, with the metric.
    public var diverged: [(seed: UInt64, metric: String)] {
        zip(seeds, copies.sessions).compactMap { seed, s in s.divergence.map { (seed, $0) } }
    }

    /// The band at every metrics row the copies share: per metric, the statistics over seeds.
    public var band: [EnsembleRow] { EnsembleRow.rows(copies.rows, columns: metricNames.count) }
}

/// One metrics row of an ensemble: per metric, the spread over seeds of the finite values
/// (an undefined metric, NaN, is left out; a metric undefined for every seed has no statistics).
public struct EnsembleRow: Sendable, Equatable {
    public var step: Int
    public var time: Double
    /// Per metric, in the scene's metric order; nil where no seed has a finite value.
    public var stats: [EnsembleStatistics?]

    /// Rows at the steps every copy measured (copies in lockstep share their row steps).
    public static func rows(_ copies: [[MetricRow]], columns: Int) -> [EnsembleRow] {
        let n = copies.map(\.count).min() ?? 0
        return (0..<n).map { i in
            let first = copies[0][i]
            let stats = (0..<columns).map { j in
                EnsembleStatistics(copies.compactMap { c -> Double? in
                    c[i].values.indices.contains(j) && c[i].values[j].isFinite ? c[i].values[j] : nil
                })
            }
            return EnsembleRow(step: first.step, time: first.time, stats: stats)
        }
    }
}

/// The spread of one metric over an ensemble's seeds: mean, sample standard deviation, the
/// 95% confidence interval of the mean (Student's t) and the extremes.
public struct EnsembleStatistics: Sendable, Equatable {
    public var n: Int
    public var mean: Double
    /// NaN for one seed.
    public var sd: Double
    /// Half-width of the 95% interval of the mean (NaN for one seed).
    public var ci95: Double
    public var min: Double
    public var max: Double

    /// Nil for no values.
    public init?(_ values: [Double]) {
        guard let s = SeedStatistics(values), let lo = values.min(), let hi = values.max() else { return nil }
        n = s.n
        mean = s.mean
        sd = s.sd
        ci95 = s.halfWidth
        min = lo
        max = hi
    }
}

extension MetricsWriter {
    /// An ensemble's band as CSV: `step,time`, then per metric `<m>_mean,<m>_sd,<m>_ci95,<m>_min,<m>_max,<m>_n`
    /// (n: the seeds with a finite value; the statistics are `nan` where it is 0).
    public static func renderBand(_ rows: [EnsembleRow], names: [String]) -> String {
        var out = (["step", "time"] + names.flatMap { m in ["mean", "sd", "ci95", "min", "max", "n"].map { m + "_" + $0 } })
            .joined(separator: ",") + "\n"
        for r in rows {
            out += "\(r.step),\(num(r.time))"
            for j in names.indices {
                let s = r.stats.indices.contains(j) ? r.stats[j] : nil
                let cells = s.map { [$0.mean, $0.sd, $0.ci95, $0.min, $0.max].map(num) + [String($0.n)] }
                    ?? ["nan", "nan", "nan", "nan", "nan", "0"]
                out += "," + cells.joined(separator: ",")
            }
            out += "\n"
        }
        return out
    }
}
