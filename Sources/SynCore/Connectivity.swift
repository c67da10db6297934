#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the entries of a sparse pattern (the synapses of a projection, or a random sparse
/// matrix) are drawn between `rows` sources and `cols` targets. The one implementation of the
/// connectivity rules: `SparseMatrix`'s builders and the spiking `Projection` both draw here.
public enum Connectivity: Sendable, Equatable {
    /// Each ordered pair (i, j) independently with probability p (Bernoulli, as Brian2's
    /// `connect(p=...)`); `allowSelf: false` skips the pairs with i + selfOffset == j.
    case fixedProbability(Double, allowSelf: Bool)
    /// Each target receives exactly `k` entries from distinct sources drawn uniformly (fewer
    /// when fewer sources are available).
    case fixedInDegree(Int, allowSelf: Bool)
    /// Each source sends exactly `k` entries to distinct targets drawn uniformly.
    case fixedOutDegree(Int, allowSelf: Bool)
    /// i -> i for i < min(rows, cols).
    case oneToOne
    /// Every source to every target.
    case allToAll

    /// Draws the pattern as CSR by source: source i's targets are
    /// `columns[rowStart[i]..<rowStart[i+1]]`, sorted. When sources and targets are parts of one
    /// group, source i is the same cell as target `i + selfOffset` (for `allowSelf: false`).
    ///
    /// Costs: fixed probability O(rows + entries) by geometric skipping (the gap to the next
    /// chosen target is Geometric(p), which equals per-pair Bernoulli draws in distribution);
    /// fixed in/out-degree O(k) draws per target/source by a partial Fisher-Yates shuffle of a
    /// persistent pool.
    public func draw(rows: Int, cols: Int, selfOffset: Int = 0, rng: inout RNG) -> (rowStart: [Int32], columns: [Int32]) {
        precondition(rows >= 0 && cols >= 0)
        var rowStart = [Int32](repeating: 0, count: rows + 1)
        var columns: [Int32] = []
        switch self {
        case .fixedProbability(let p, let allowSelf):
            columns.reserveCapacity(Int(min(Double(rows) * Double(cols) * p * 1.1, 1e8)) + 16)
            let logq = p < 1 ? log1p(-p) : 0
            for i in 0..<rows {
                if p >= 1 {
                    for j in 0..<cols where allowSelf || i + selfOffset != j { columns.append(Int32(j)) }
                } else if p > 0 && logq < 0 {
                    var j = -1
                    while true {
                        let u = max(rng.uniformDouble(), 1e-300)
                        let gap = (log(u) / logq).rounded(.down)
                        if gap >= Double(cols - j) { break }
                        j += 1 + Int(gap)
                        if j >= cols { break }
                        if allowSelf || i + selfOffset != j { columns.append(Int32(j)) }
                    }
                }
                rowStart[i + 1] = Int32(columns.count)
            }
        case .fixedInDegree(let k, let allowSelf):
            var lists = [[Int32]](repeating: [], count: rows)
            var pool = Array(0..<rows)
            for j in 0..<cols {
                // Partial Fisher-Yates over the source pool: k distinct sources.
                let selfRow = j - selfOffset
                let avail = allowSelf || selfRow < 0 || selfRow >= rows ? rows : rows - 1
                let kk = min(k, avail)
                var taken = 0
                var end = rows
                while taken < kk {
                    let r = rng.int(below: end)
                    let i = pool[r]
                    end -= 1
                    pool.swapAt(r, end)
                    if !allowSelf && i == selfRow { continue }
                    lists[i].append(Int32(j))
                    taken += 1
                }
            }
            for i in 0..<rows {
                lists[i].sort()
                columns.append(contentsOf: lists[i])
                rowStart[i + 1] = Int32(columns.count)
            }
        case .fixedOutDegree(let k, let allowSelf):
            var pool = Array(0..<cols)
            for i in 0..<rows {
                let selfCol = i + selfOffset
                let avail = allowSelf || selfCol < 0 || selfCol >= cols ? cols : cols - 1
                let kk = min(k, avail)
                var taken = 0
                var end = cols
                var row: [Int32] = []
                row.reserveCapacity(kk)
                while taken < kk {
                    let r = rng.int(below: end)
                    let j = pool[r]
                    end -= 1
                    pool.swapAt(r, end)
                    if !allowSelf && j == selfCol { continue }
                    row.append(Int32(j))
                    taken += 1
                }
                row.sort()
                columns.append(contentsOf: row)
                rowStart[i + 1] = Int32(columns.count)
            }
        case .oneToOne:
            for i in 0..<rows {
                if i < cols { columns.append(Int32(i)) }
                rowStart[i + 1] = Int32(columns.count)
            }
        case .allToAll:
            columns.reserveCapacity(rows * cols)
            for i in 0..<rows {
                for j in 0..<cols { columns.append(Int32(j)) }
                rowStart[i + 1] = Int32(columns.count)
            }
        }
        return (rowStart, columns)
    }
}
