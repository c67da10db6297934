import Foundation
import SynCore

/// One row per run of a sweep: its parameters, status and one metric (`synaptop sweep table`).
public struct SweepTable: Sendable {
    public enum At: String, Sendable, CaseIterable {
        case last, max, min, mean
    }

    public var columns: [String]
    public var rows: [[String]]

    /// Builds the table from the store (the plan's points, their manifests and metrics files).
    /// `metric` nil: every kept metric at `at`.
    public static func build(store: RunStore, plan: SweepPlan, metric: String?, at: At) throws(SweepError) -> SweepTable {
        if let metric, !plan.metrics.contains(metric) {
            var msg = "\(store.dir): --metric \(metric): not a kept metric of this sweep"
            if let near = closest(metric, plan.metrics) { msg += ", did you mean \"\(near)\"?" }
            throw SweepError(message: msg + " (one of: \(plan.metrics.joined(separator: ", ")))")
        }
        let metrics = metric.map { [$0] } ?? plan.metrics
        let suffix = at == .last ? "" : "@\(at.rawValue)"
        var columns = ["id", "seed"] + plan.variedKeys + ["status", "wall_s"]
        columns += metrics.map { $0 + suffix }
        var rows: [[String]] = []
        for p in plan.points {
            var row = [p.id, String(p.seed)]
            row += plan.variedKeys.map { k in p.overrides.first { $0.key == k }.map { display($0.value) } ?? "" }
            let m = store.manifest(p.id)
            row.append(m?.status.rawValue ?? "pending")
            row.append(m.map { String(format: "%.2f", $0.wallSeconds) } ?? "")
            let series = (m?.finished ?? false) ? readColumns(store.metricsPath(p.id)) : [:]
            for name in metrics {
                let values = (series[name] ?? []).filter { !$0.isNaN }
                row.append(values.isEmpty ? "" : format(reduce(values, at)))
            }
            rows.append(row)
        }
        return SweepTable(columns: columns, rows: rows)
    }

    static func reduce(_ v: [Double], _ at: At) -> Double {
        switch at {
        case .last: return v[v.count - 1]
        case .max: return v.max() ?? .nan
        case .min: return v.min() ?? .nan
        case .mean: return v.reduce(0, +) / Double(v.count)
        }
    }

    /// A TOML string value without its quotes (`"oja"` -> `oja`).
    static func display(_ v: String) -> String {
        v.count >= 2 && v.hasPrefix("\"") && v.hasSuffix("\"") ? String(v.dropFirst().dropLast()) : v
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        return String(format: "%.6g", x)
    }

    static func closest(_ word: String, _ names: [String]) -> String? {
        names.first { $0.hasPrefix(word) || word.hasPrefix($0) }
    }

    /// A metrics CSV as columns by name (`step`, `time`, `rule` and the metrics).
    public static func readColumns(_ path: String) -> [String: [Double]] {
        guard let bytes = try? FileIO.read(path, limit: 1 << 30) else { return [:] }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [:] }
        var cols: [String: [Double]] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            for (name, f) in zip(header, fields) where name != "rule" {
                cols[name, default: []].append(Double(f) ?? .nan)
            }
        }
        return cols
    }

    /// Aligned text, one row per run.
    public var text: String {
        var widths = columns.map(\.count)
        for r in rows { for (i, f) in r.enumerated() where i < widths.count { widths[i] = Swift.max(widths[i], f.count) } }
        func line(_ fields: [String]) -> String {
            fields.enumerated().map { i, f in f + String(repeating: " ", count: widths[i] - f.count) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(columns)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// CSV with a header row.
    public var csv: String {
        func field(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        return ([columns] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
