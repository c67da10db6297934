/// Ridge regression from sufficient statistics, accumulated one sample at a time in Double:
/// A = Σ z zᵀ and B = Σ z yᵀ over samples z = [x; 1] (features plus a constant) with targets y,
/// then W = (A + λ I)⁻¹ B by a Cholesky solve. Streaming keeps memory at d² + d·m however long
/// the training stream is, and Double keeps λ = 1e-6 meaningful next to the large
/// constant-mode eigenvalue of rate features in (0, 1).
public struct RidgeAccumulator: Sendable {
    /// Feature count d (the constant included).
    public let dimension: Int
    /// Target count m.
    public let outputs: Int
    public private(set) var samples = 0
    private var a: [Double]
    private var b: [Double]
    private var z: [Double]

    /// A regression of `outputs` targets on `features` inputs plus a constant.
    public init(features: Int, outputs: Int) {
        precondition(features >= 1 && outputs >= 1)
        dimension = features + 1
        self.outputs = outputs
        a = [Double](repeating: 0, count: dimension * dimension)
        b = [Double](repeating: 0, count: dimension * outputs)
        z = [Double](repeating: 1, count: dimension)
    }

    /// Adds one sample: `x` (features) and `y` (targets).
    public mutating func add(_ x: [Float], _ y: [Float]) {
        precondition(x.count == dimension - 1 && y.count == outputs)
        let d = dimension, m = outputs
        for i in 0..<(d - 1) { z[i] = Double(x[i]) }
        z.withUnsafeBufferPointer { zp in
            a.withUnsafeMutableBufferPointer { ap in
                // Lower triangle only; `solve` mirrors it.
                for i in 0..<d {
                    let zi = zp[i], row = i * d
                    for j in 0...i { ap[row + j] += zi * zp[j] }
                }
            }
            b.withUnsafeMutableBufferPointer { bp in
                for i in 0..<d {
                    let zi = zp[i], row = i * m
                    for o in 0..<m { bp[row + o] += zi * Double(y[o]) }
                }
            }
        }
        samples += 1
    }

    /// The weights (d × m, row-major; row d − 1 is the constant) solving (A + λ I) W = B, or
    /// nil when the regularised matrix is not positive definite (λ = 0 and too few samples).
    public func solve(lambda: Double) -> [Double]? {
        let d = dimension, m = outputs
        var l = a
        for i in 0..<d { l[i * d + i] += lambda }
        // Cholesky L Lᵀ in the lower triangle.
        for j in 0..<d {
            var s = l[j * d + j]
            for k in 0..<j { s -= l[j * d + k] * l[j * d + k] }
            guard s > 0 else { return nil }
            let ljj = s.squareRoot()
            l[j * d + j] = ljj
            for i in (j + 1)..<d {
                var v = l[i * d + j]
                for k in 0..<j { v -= l[i * d + k] * l[j * d + k] }
                l[i * d + j] = v / ljj
            }
        }
        var w = b
        var col = [Double](repeating: 0, count: d)
        for o in 0..<m {
            for i in 0..<d {
                var v = w[i * m + o]
                for k in 0..<i { v -= l[i * d + k] * col[k] }
                col[i] = v / l[i * d + i]
            }
            for i in stride(from: d - 1, through: 0, by: -1) {
                var v = col[i]
                for k in (i + 1)..<d { v -= l[k * d + i] * col[k] }
                col[i] = v / l[i * d + i]
            }
            for i in 0..<d { w[i * m + o] = col[i] }
        }
        return w
    }
}
