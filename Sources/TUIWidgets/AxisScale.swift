import Foundation

/// A linear or log10 map from data values to dot positions along one axis.
struct AxisScale {
    /// Bounds in transformed units (log10 of the data for log axes).
    let lo: Double
    let hi: Double
    let log: Bool

    /// The transformed value; NaN for non-positive values on a log axis.
    func transform(_ v: Double) -> Double {
        log ? (v > 0 ? log10(v) : .nan) : v
    }

    /// The data value at transformed position `t`.
    func data(_ t: Double) -> Double { log ? pow(10, t) : t }

    /// Position of `v` among `count` dots, 0 at `lo` and count-1 at `hi` (or reversed), clamped
    /// to a wide band so it always converts to Int; nil when `v` cannot be shown.
    func dot(_ v: Double, count: Int, reversed: Bool = false) -> Int? {
        let t = transform(v)
        guard t.isFinite, hi > lo, count > 0 else { return nil }
        var f = (t - lo) / (hi - lo)
        if reversed { f = 1 - f }
        let p = (f * Double(count - 1)).rounded()
        return Int(min(max(p, -1e6), 1e6))
    }

    /// Bounds spanning the finite transformed values of `series`, padded when flat; (0, 1) when
    /// there are none.
    static func fitting(_ series: [[Double]], log: Bool) -> AxisScale {
        var lo = Double.infinity, hi = -Double.infinity
        let probe = AxisScale(lo: 0, hi: 1, log: log)
        for values in series {
            for v in values {
                let t = probe.transform(v)
                if t.isFinite {
                    lo = min(lo, t)
                    hi = max(hi, t)
                }
            }
        }
        guard lo.isFinite, hi.isFinite else { return AxisScale(lo: 0, hi: 1, log: log) }
        if hi == lo {
            let pad = log ? 0.5 : (lo == 0 ? 1 : abs(lo) * 0.1)
            return AxisScale(lo: lo - pad, hi: hi + pad, log: log)
        }
        return AxisScale(lo: lo, hi: hi, log: log)
    }
}
