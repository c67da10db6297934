/// The spread of a seed ensemble along the run's points: at each x of the run's series, the
/// minimum, mean and maximum over the run and every lane that reached x (a lane's value there
/// linearly interpolated between its own points; undefined values, NaN, are left out). Lanes
/// still catching up to the run add nothing past their last point.
struct EnsembleBand: Equatable {
    var lower: [Double]
    var mean: [Double]
    var upper: [Double]

    init(xs: [Double], run: [Double], lanes: [(xs: [Double], ys: [Double])]) {
        lower = []
        mean = []
        upper = []
        for (i, x) in xs.enumerated() {
            var values = i < run.count && run[i].isFinite ? [run[i]] : []
            for lane in lanes {
                if let y = Self.interpolate(lane.xs, lane.ys, at: x), y.isFinite { values.append(y) }
            }
            guard let lo = values.min(), let hi = values.max() else {
                lower.append(.nan)
                mean.append(.nan)
                upper.append(.nan)
                continue
            }
            lower.append(lo)
            upper.append(hi)
            mean.append(values.reduce(0, +) / Double(values.count))
        }
    }

    /// y at x on the polyline (xs, ys) (xs increasing); nil outside its x range.
    static func interpolate(_ xs: [Double], _ ys: [Double], at x: Double) -> Double? {
        let n = min(xs.count, ys.count)
        guard n > 0, x >= xs[0], x <= xs[n - 1] else { return nil }
        // Binary search for the last point at or before x.
        var lo = 0, hi = n - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if xs[mid] <= x { lo = mid } else { hi = mid - 1 }
        }
        guard lo + 1 < n, xs[lo] < x else { return ys[lo] }
        let f = (x - xs[lo]) / (xs[lo + 1] - xs[lo])
        return ys[lo] + f * (ys[lo + 1] - ys[lo])
    }
}
