/// Per-unit running mean and variance of a layer's net input, as a batch-norm layer keeps them
/// (science page 2, build B). The estimate is a sample-weighted running average of the first
/// two moments: after a batch of b rows, with n rows seen in all,
///
///     r = max(b / n, floor),   M1 ← (1 − r) M1 + r mean_batch(z),   M2 ← (1 − r) M2 + r mean_batch(z²),
///     μ = M1,   σ² = M2 − M1²   (the biased, numpy `var` estimate),
///
/// so with `floor` = 0 the statistics are exactly those of every row seen (the concatenation),
/// and a floor > 0 turns them into an exponential average over about 1/floor batches that
/// follows a drifting layer. `restart()` keeps μ, σ² but counts the next batch as the first.
public struct NormalisationStatistics: Sendable, Equatable {
    public private(set) var mean: [Float]
    public private(set) var variance: [Float]
    /// Rows seen since the last restart.
    public private(set) var rows = 0
    private var first: [Double]
    private var second: [Double]

    /// μ = 0, σ² = 1 before any batch.
    public init(units: Int) {
        mean = [Float](repeating: 0, count: units)
        variance = [Float](repeating: 1, count: units)
        first = [Double](repeating: 0, count: units)
        second = [Double](repeating: 1, count: units)
    }

    /// Per-column mean and biased variance (ddof = 0) of the rows of z.
    public static func moments(of z: Matrix) -> (mean: [Float], variance: [Float]) {
        let (m1, m2) = rawMoments(of: z)
        return (m1.map { Float($0) }, zip(m1, m2).map { Float(max(0, $1 - $0 * $0)) })
    }

    static func rawMoments(of z: Matrix) -> ([Double], [Double]) {
        var m1 = [Double](repeating: 0, count: z.cols), m2 = m1
        for i in 0..<z.rows {
            for j in 0..<z.cols {
                let v = Double(z.storage[i * z.cols + j])
                m1[j] += v; m2[j] += v * v
            }
        }
        let inv = 1 / Double(max(1, z.rows))
        return (m1.map { $0 * inv }, m2.map { $0 * inv })
    }

    /// Folds the rows of z into the estimate (see the type doc for the weight r).
    public mutating func update(with z: Matrix, floor: Double = 0) {
        guard z.rows > 0 else { return }
        precondition(z.cols == mean.count)
        rows += z.rows
        let r = max(Double(z.rows) / Double(rows), floor)
        let (m1, m2) = Self.rawMoments(of: z)
        for j in mean.indices {
            first[j] = (1 - r) * first[j] + r * m1[j]
            second[j] = (1 - r) * second[j] + r * m2[j]
            mean[j] = Float(first[j])
            variance[j] = Float(max(0, second[j] - first[j] * first[j]))
        }
    }

    /// The next batch replaces the estimate (r = 1), as at the start of a stream.
    public mutating func restart() { rows = 0 }
}

import SynCore
