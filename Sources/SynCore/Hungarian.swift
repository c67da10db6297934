/// The linear assignment problem: given an n × n cost matrix c, the permutation π minimising
/// Σ_i c[i, π(i)]. Hungarian algorithm with row and column potentials and shortest augmenting
/// paths (Kuhn 1955, Munkres 1957; the O(n³) form of Jonker & Volgenant), in Double.
///
/// ```swift
/// let pi = Hungarian.assign(cost, n: 3)   // pi[i] = column given to row i
/// ```
///
/// Used to match hidden units of two networks (maximum |correlation|: pass −|ρ|) and to pair two
/// eigenvalue spectra. Non-finite costs are treated as +∞-like (the largest finite cost + 1), so
/// an assignment always exists.
public enum Hungarian {
    /// The minimum-cost assignment of the n × n row-major `cost`: `result[i]` is row i's column.
    public static func assign(_ cost: [Double], n: Int) -> [Int] {
        precondition(n >= 0 && cost.count == n * n, "Hungarian: \(cost.count) costs for n = \(n)")
        guard n > 0 else { return [] }
        let finite = cost.filter(\.isFinite)
        let big = (finite.map(abs).max() ?? 0) * 2 + 1
        let a = cost.map { $0.isFinite ? $0 : big }
        // 1-based arrays as in the classical formulation; column 0 is the virtual start.
        var u = [Double](repeating: 0, count: n + 1), v = u
        var owner = [Int](repeating: 0, count: n + 1)   // owner[j]: row matched to column j
        var way = [Int](repeating: 0, count: n + 1)
        var minv = [Double](repeating: 0, count: n + 1)
        var used = [Bool](repeating: false, count: n + 1)
        for i in 1...n {
            owner[0] = i
            var j0 = 0
            for j in 0...n { minv[j] = .infinity; used[j] = false }
            repeat {
                used[j0] = true
                let i0 = owner[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1...n where !used[j] {
                    let cur = a[(i0 - 1) * n + (j - 1)] - u[i0] - v[j]
                    if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                    if minv[j] < delta { delta = minv[j]; j1 = j }
                }
                for j in 0...n {
                    if used[j] { u[owner[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                }
                j0 = j1
            } while owner[j0] != 0
            // Augment along the path back to the virtual column.
            repeat {
                let j1 = way[j0]
                owner[j0] = owner[j1]
                j0 = j1
            } while j0 != 0
        }
        var result = [Int](repeating: 0, count: n)
        for j in 1...n { result[owner[j] - 1] = j - 1 }
        return result
    }

    /// Σ_i cost[i, π(i)] of an assignment.
    public static func total(_ cost: [Double], n: Int, _ assignment: [Int]) -> Double {
        var s = 0.0
        for (i, j) in assignment.enumerated() { s += cost[i * n + j] }
        return s
    }
}
