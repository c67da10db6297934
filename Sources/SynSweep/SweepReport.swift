import Foundation
import SynCore

/// Which value of a run's series a report aggregates.
public enum SeriesValue: String, Sendable, CaseIterable {
    /// The last defined value.
    case last
    /// The minimum for a metric whose name says lower is better (`loss`, `error`, `mse`, `nll`,
    /// `perplexity`), else the maximum.
    case best
    case min, max, mean

    /// True for metrics where lower is better (by name).
    public static func lowerIsBetter(_ metric: String) -> Bool {
        let words = metric.lowercased().split(separator: "_")
        return words.contains { ["loss", "error", "err", "mse", "nll", "perplexity"].contains(String($0)) }
    }

    public func value(_ s: MetricSummary, metric: String) -> Double? {
        switch self {
        case .last: s.last
        case .best: Self.lowerIsBetter(metric) ? s.min : s.max
        case .min: s.min
        case .max: s.max
        case .mean: s.mean
        }
    }
}

/// A sweep aggregated over seeds: one row per configuration (the runs that differ only in their
/// seed), with the mean and 95% confidence interval of each metric over its `ok` runs
/// (`synaptop report`). Diverged, failed and pending runs are counted, not averaged.
public struct SweepReport: Sendable {
    public struct Row: Sendable {
        /// The configuration's value of each key (`keys`), "" when it does not set one.
        public var values: [String]
        public var ok = 0
        public var diverged = 0
        public var failed = 0
        public var pending = 0
        /// By metric (in `metrics` order); nil when no ok run defines it.
        public var stats: [SeedStatistics?]
    }

    public var keys: [String]
    public var metrics: [String]
    public var at: SeriesValue
    public var rows: [Row]

    /// Groups `runs` by configuration, in order of first appearance.
    public static func build(runs: [IndexedRun], metrics: [String], at: SeriesValue) -> SweepReport {
        var keys: [String] = []
        for r in runs { for o in r.overrides where !keys.contains(o.key) { keys.append(o.key) } }
        var order: [String] = []
        var groups: [String: [IndexedRun]] = [:]
        for r in runs {
            if groups[r.config] == nil { order.append(r.config) }
            groups[r.config, default: []].append(r)
        }
        let rows = order.map { config -> Row in
            let members = groups[config] ?? []
            let first = members.first
            var row = Row(values: keys.map { k in first?.overrides.first { $0.key == k }?.value ?? "" }, stats: [])
            for r in members {
                switch r.status {
                case "ok": row.ok += 1
                case "diverged": row.diverged += 1
                case "failed": row.failed += 1
                default: row.pending += 1
                }
            }
            let ok = members.filter { $0.status == "ok" }
            row.stats = metrics.map { m in SeedStatistics(ok.compactMap { r in r.metrics[m].flatMap { at.value($0, metric: m) } }) }
            return row
        }
        return SweepReport(keys: keys, metrics: metrics, at: at, rows: rows)
    }

    /// The column name of a metric's value (`alignment`, or `alignment_best` for `--at best`).
    func name(_ metric: String) -> String { at == .last ? metric : "\(metric)_\(at.rawValue)" }

    /// CSV: the keys, the run counts, then per metric n, mean, sd, ci95_lo, ci95_hi (empty
    /// where undefined; full precision).
    public var csv: String {
        var header = keys + ["ok", "diverged", "failed", "pending"]
        for m in metrics { header += ["n", "mean", "sd", "ci95_lo", "ci95_hi"].map { "\(name(m))_\($0)" } }
        func number(_ x: Double?) -> String { x.map { $0.isFinite ? String($0) : "" } ?? "" }
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for r in rows {
            var fields = r.values + [r.ok, r.diverged, r.failed, r.pending].map(String.init)
            for s in r.stats {
                fields += s.map { [String($0.n), number($0.mean), number($0.sd), number($0.lower), number($0.upper)] } ?? ["0", "", "", "", ""]
            }
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// An aligned table: the keys, the seeds averaged, `mean ± half-width` per metric (half-width
    /// with two significant digits, the mean to the same decimal place), and a note for runs not
    /// averaged.
    public var text: String {
        let header = keys + ["seeds"] + metrics.map { name($0) + " (95% CI)" } + ["not averaged"]
        var table = [header]
        for r in rows {
            var notes: [String] = []
            if r.diverged > 0 { notes.append("\(r.diverged) diverged") }
            if r.failed > 0 { notes.append("\(r.failed) failed") }
            if r.pending > 0 { notes.append("\(r.pending) pending") }
            table.append(r.values + [String(r.ok)] + r.stats.map(Self.meanAndInterval) + [notes.joined(separator: ", ")])
        }
        return SweepReport.align(table)
    }

    /// `0.9954 ± 0.0032`, `0.9954` for one run, `-` for none.
    public static func meanAndInterval(_ s: SeedStatistics?) -> String {
        guard let s else { return "-" }
        guard s.mean.isFinite else { return SweepTable.format(s.mean) }
        guard s.halfWidth.isFinite else { return SweepTable.format(s.mean) }
        if s.halfWidth == 0 { return SweepTable.format(s.mean) + " ± 0" }
        // Two significant digits of the half-width fix the decimal place of both numbers.
        let place = Int((log10(s.halfWidth)).rounded(.down)) - 1
        if place >= 0 || place < -12 { return SweepTable.format(s.mean) + " ± " + String(format: "%.2g", s.halfWidth) }
        let decimals = -place
        return String(format: "%.\(decimals)f ± %.\(decimals)f", s.mean, s.halfWidth)
    }

    /// Columns padded to their widest cell, two spaces apart, trailing blanks trimmed.
    public static func align(_ table: [[String]]) -> String {
        let columns = table.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for r in table { for (i, f) in r.enumerated() { widths[i] = Swift.max(widths[i], f.count) } }
        return table.map { r in
            var line = ""
            for (i, f) in r.enumerated() {
                line += f
                if i < r.count - 1 { line += String(repeating: " ", count: widths[i] - f.count + 2) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}
