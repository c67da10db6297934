/// An online linear readout y = w . z trained by recursive least squares with forgetting
/// (Haykin, Adaptive Filter Theory; used for reservoirs by Jaeger 2003 and, as FORCE, by
/// Sussillo & Abbott 2009, Neuron 63:544). For each sample (z, target):
///
///     y = w . z                       (a-priori prediction, before the update)
///     k = P z / (lambda + z . P z)
///     w <- w - (y - target) k
///     P <- (P - k (P z)^T) / lambda
///
/// P starts at I / delta (delta: ridge strength) and tracks the inverse of the exponentially
/// weighted correlation matrix sum_s lambda^(t-s) z_s z_s^T + lambda^t delta I, so with
/// lambda = 1 the weights equal the ridge-regression solution on all samples seen. lambda in
/// (0, 1] is the forgetting factor (memory ~ 1 / (1 - lambda) samples). Kept in Double.
///
/// Several `outputs` y_k = w_k . z read the same z: they share P (it depends on z only), so
/// one update costs one O(size^2) step whatever the number of outputs.
public struct RLSReadout: Sendable {
    public let size: Int
    public let outputs: Int
    public let forgetting: Double
    /// Row-major outputs x size: w_k = weights[k * size ..< (k + 1) * size].
    public private(set) var weights: [Double]
    private var p: [Double]
    private var pz: [Double]

    public init(size: Int, delta: Double, forgetting: Double, outputs: Int = 1) {
        precondition(size >= 1 && outputs >= 1 && delta > 0 && forgetting > 0 && forgetting <= 1)
        self.size = size
        self.outputs = outputs
        self.forgetting = forgetting
        weights = [Double](repeating: 0, count: size * outputs)
        p = [Double](repeating: 0, count: size * size)
        for i in 0..<size { p[i * size + i] = 1 / delta }
        pz = [Double](repeating: 0, count: size)
    }

    /// The prediction w_k . z of output k.
    public func predict(_ z: [Float], output k: Int = 0) -> Double {
        var y = 0.0
        let o = k * size
        for i in 0..<size { y += weights[o + i] * Double(z[i]) }
        return y
    }

    /// One RLS update of output 0 towards `target`; returns the a-priori prediction.
    @discardableResult
    public mutating func train(_ z: [Float], target: Double) -> Double {
        let y = predict(z)
        train(z, targets: [target])
        return y
    }

    /// One RLS update of every output k towards `targets[k]` (one shared P step).
    public mutating func train(_ z: [Float], targets: [Double]) {
        precondition(targets.count == outputs)
        let n = size
        let ys = (0..<outputs).map { predict(z, output: $0) }
        let lambda = forgetting
        var zPz = 0.0
        p.withUnsafeMutableBufferPointer { pb in
            pz.withUnsafeMutableBufferPointer { qb in
                weights.withUnsafeMutableBufferPointer { wb in
                    z.withUnsafeBufferPointer { zb in
                        guard let pp = pb.baseAddress, let q = qb.baseAddress, let wp = wb.baseAddress,
                              let zp = zb.baseAddress else { return }
                        for i in 0..<n {
                            let row = pp + i * n
                            var s = 0.0
                            for j in 0..<n { s += row[j] * Double(zp[j]) }
                            q[i] = s
                        }
                        for i in 0..<n { zPz += Double(zp[i]) * q[i] }
                        let c = 1 / (lambda + zPz)
                        for k in 0..<ys.count {
                            let e = (ys[k] - targets[k]) * c
                            let w = wp + k * n
                            for i in 0..<n { w[i] -= e * q[i] }
                        }
                        let inv = 1 / lambda
                        // P is symmetric: update the lower triangle and mirror it.
                        for i in 0..<n {
                            let row = pp + i * n
                            let ci = c * q[i]
                            for j in 0...i {
                                let v = (row[j] - ci * q[j]) * inv
                                row[j] = v
                                pp[j * n + i] = v
                            }
                        }
                    }
                }
            }
        }
    }
}
