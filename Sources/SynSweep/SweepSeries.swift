import Foundation

/// One configuration's metric over steps, across its seeds (`synaptop compare`): at each logged
/// step the mean, min and max over the `ok` runs that define the metric there, and the 95%
/// Student-t interval of the mean (the mean itself where only one run does).
public struct ConfigSeries: Sendable, Equatable {
    /// `eta=0.001 name=oja`: the last part of each swept key and its value.
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
        var labels: [String: String] = [:]
        var metrics: [String] = []
        var columns: [String: [String: [Double]]] = [:]
        for r in runs where r.status == "ok" {
            if members[r.config] == nil {
                order.append(r.config)
                labels[r.config] = r.overrides.map { "\($0.key.split(separator: ".").last.map(String.init) ?? $0.key)=\($0.value)" }
                    .joined(separator: " ")
            }
            members[r.config, default: []].append(r.id)
            for m in r.metricNames where !metrics.contains(m) { metrics.append(m) }
            columns[r.id] = SweepTable.readColumns(store.metricsPath(r.id))
        }
        groups = order.map { (config: $0, label: (labels[$0] ?? "").isEmpty ? "defaults" : labels[$0] ?? "", runs: members[$0] ?? []) }
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
