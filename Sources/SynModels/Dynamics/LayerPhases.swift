/// Contiguous phases of depth from a layer × layer similarity matrix (the "block-recurrent"
/// reading of Jacobs et al. 2025): the partition of layers 0..L−1 into k contiguous, nonempty
/// segments that maximises the mean similarity over pairs i ≠ j inside one segment (pooled over
/// segments). Exhaustive over the C(L−1, k−1) cuts, cheap for L ≤ 24, k ≤ 4.
public enum LayerPhases {
    /// The best partition: `cuts` are the first layers of segments 2..k (ascending), `score` the
    /// pooled within-segment mean (NaN when no partition has a pair inside a segment or the matrix
    /// has non-finite entries there).
    public static func best(_ sim: [Double], layers l: Int, phases k: Int) -> (cuts: [Int], score: Double) {
        precondition(sim.count == l * l && k >= 1 && k <= l)
        var bestCuts: [Int] = [], bestScore = -Double.infinity
        var cuts = Array(1..<k)
        while true {
            let s = score(sim, layers: l, cuts: cuts)
            if s.isFinite, s > bestScore {
                bestScore = s
                bestCuts = cuts
            }
            // Next combination of k−1 cut points in 1..<l, lexicographic.
            var i = k - 2
            while i >= 0, cuts[i] == l - (k - 1 - i) { i -= 1 }
            guard i >= 0 else { break }
            cuts[i] += 1
            for j in (i + 1)..<(k - 1) { cuts[j] = cuts[j - 1] + 1 }
        }
        return bestScore.isFinite ? (bestCuts, bestScore) : (Array(1..<k), .nan)
    }

    /// Mean of sim[i, j] over the pairs i ≠ j that lie in one segment of the partition with the
    /// given cuts (NaN without such a pair).
    public static func score(_ sim: [Double], layers l: Int, cuts: [Int]) -> Double {
        let bounds = [0] + cuts + [l]
        var sum = 0.0, count = 0
        for s in 0..<(bounds.count - 1) {
            for i in bounds[s]..<bounds[s + 1] {
                for j in bounds[s]..<bounds[s + 1] where j != i {
                    sum += sim[i * l + j]
                    count += 1
                }
            }
        }
        return count > 0 ? sum / Double(count) : .nan
    }

    /// Mean of the off-diagonal entries of an l × l matrix.
    public static func offDiagonalMean(_ sim: [Double], layers l: Int) -> Double {
        guard l >= 2 else { return .nan }
        var s = 0.0
        for i in 0..<l { for j in 0..<l where j != i { s += sim[i * l + j] } }
        return s / Double(l * (l - 1))
    }

    /// Mean similarity of neighbouring layers, sim[i, i+1].
    public static func adjacentMean(_ sim: [Double], layers l: Int) -> Double {
        guard l >= 2 else { return .nan }
        var s = 0.0
        for i in 0..<(l - 1) { s += sim[i * l + i + 1] }
        return s / Double(l - 1)
    }
}
