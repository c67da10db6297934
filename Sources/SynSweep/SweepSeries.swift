import Foundation
import SynCore

/// One configuration's metric over steps, across its seeds (`synaptop compare`): at each logged
/// step the mean, min and max over the `ok` runs that define the metric there, and the 95%
/// Student-t interval of the mean (the mean itself where only one run does).
public struct ConfigSeries: Sendable, Equatable {
    /// What tells this configuration apart: `eta=0.001` (the last part of the one key that
    /// varies), or the values of several keys that vary (`oja 0.001`).
    public var label: String
    public var config: String
    public var seeds: Int
    public var steps: [Double]
    public var mean: [Double]
    public var min: [Double]
    public var max: [Double]
    public var lower: [Double]
    public var upper: [Double]
}

/// The per-step series of a sweep's runs, read from their `metrics.csv` files (once each).
public struct SweepSeries: Sendable {
    /// Runs by configuration, in order of first appearance (only `ok` runs).
    public var groups: [(config: String, label: String, runs: [String])]
    /// Each run's columns by name (`step` and the kept metrics).
    var columns: [String: [String: [Double]]]
    public var metrics: [String]

    public init(store: RunStore, runs: [IndexedRun]) {
        var order: [String] = []
        var members: [String: [String]] = [:]
        var overrides: [String: [SweepOverride]] = [:]
        var metrics: [String] = []
        var columns: [String: [String: [Double]]] = [:]
        for r in runs where r.status == "ok" {
            if members[r.config] == nil {
                order.append(r.config)
                overrides[r.config] = r.overrides
            }
            members[r.config, default: []].append(r.id)
            for m in r.metricNames where !metrics.contains(m) { metrics.append(m) }
            columns[r.id] = SweepTable.readColumns(store.metricsPath(r.id))
        }
        // Only the keys whose value differs between the configurations label them.
        var keys: [String] = []
        for c in order { for o in overrides[c] ?? [] where !keys.contains(o.key) { keys.append(o.key) } }
        let varying = keys.filter { k in Set(order.map { c in overrides[c]?.first { $0.key == k }?.value ?? "" }).count > 1 }
        func label(_ config: String) -> String {
            let values = varying.map { k in overrides[config]?.first { $0.key == k }?.value ?? "-" }
            if varying.count == 1, let k = varying.first, let v = values.first {
                return "\(k.split(separator: ".").last.map(String.init) ?? k)=\(v)"
            }
            return values.isEmpty ? "defaults" : values.joined(separator: " ")
        }
        groups = order.map { (config: $0, label: label($0), runs: members[$0] ?? []) }
        self.columns = columns
        self.metrics = metrics
    }

    /// Every configuration's series of `metric`.
    public func series(_ metric: String) -> [ConfigSeries] {
        groups.map { g in
            var byStep: [Double: [Double]] = [:]
            for id in g.runs {
                let cols = columns[id] ?? [:]
                let steps = cols["step"] ?? [], values = cols[metric] ?? []
                for (s, v) in zip(steps, values) where !v.isNaN && s.isFinite { byStep[s, default: []].append(v) }
            }
            var out = ConfigSeries(label: g.label, config: g.config, seeds: g.runs.count, steps: [], mean: [], min: [], max: [], lower: [], upper: [])
            for step in byStep.keys.sorted() {
                guard let v = byStep[step], let s = SeedStatistics(v) else { continue }
                out.steps.append(step)
                out.mean.append(s.mean)
                out.min.append(v.min() ?? s.mean)
                out.max.append(v.max() ?? s.mean)
                out.lower.append(s.halfWidth.isFinite ? s.lower : s.mean)
                out.upper.append(s.halfWidth.isFinite ? s.upper : s.mean)
            }
            return out
        }
    }
}
