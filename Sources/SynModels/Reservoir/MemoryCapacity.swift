/// Memory capacity (Jaeger 2002, GMD Report 152) of a reservoir driven by an i.i.d. input stream:
///
///     MC = Σ_{k=1..K} r²(k),   r²(k) = corr²(ŷ_k(t), u_{t−k})
///
/// where ŷ_k = w_kᵀ [x_t; 1] are linear readouts of the state x_t (dimensionless rates), fitted by
/// ridge regression (`RidgeAccumulator`) on one stretch of the stream and scored here on a held-out
/// stretch. Shared by the memory-capacity scenes (`adaptive-ei-reservoir`, `echo-memory`).
public enum MemoryCapacity {
    /// The forgetting curve r²(k) (index k − 1) and its sum MC.
    /// - `weights`: the ridge solution, (n + 1) × K row-major, row n the constant.
    /// - `states`: the scoring rows (rows × n); row r is the state right after input
    ///   `inputs[firstInput + r]`, so delay k targets `inputs[firstInput + r − (k − 1)]`.
    /// A delay whose readout or target is constant scores 0 (no explained variance).
    public static func curve(weights w: [Double], states: [Float], units n: Int, delays kMax: Int,
                             inputs: [Float], firstInput: Int) -> (r2: [Float], mc: Double) {
        let rows = states.count / max(1, n)
        precondition(w.count == (n + 1) * kMax && firstInput - (kMax - 1) >= 0 && firstInput + rows <= inputs.count)
        var r2 = [Float](repeating: 0, count: kMax)
        var mc = 0.0
        var y = [Double](repeating: 0, count: rows), target = y
        for k in 0..<kMax {
            for r in 0..<rows {
                var s = w[n * kMax + k]
                let base = r * n
                for i in 0..<n { s += Double(states[base + i]) * w[i * kMax + k] }
                y[r] = s
                target[r] = Double(inputs[firstInput + r - k])
            }
            let c = correlation(y, target)
            let c2 = c.isFinite ? c * c : 0
            r2[k] = Float(c2)
            mc += c2
        }
        return (r2, mc)
    }

    /// Pearson correlation of two equal-length series (NaN when either is constant).
    public static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            let da = a[i] - ma, db = b[i] - mb
            sab += da * db; saa += da * da; sbb += db * db
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan
    }
}
