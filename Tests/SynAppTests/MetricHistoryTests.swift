import Testing
@testable import SynApp

@Suite struct MetricHistoryTests {
    @Test func keepsEveryRowWhileItFits() {
        var h = MetricHistory(columns: 2, levelCapacity: 16)
        for i in 0..<10 { h.append(step: i * 100, values: [Double(i), -Double(i)]) }
        #expect(h.totalRows == 10)
        #expect(h.points(metric: 0).map(\.x) == (0..<10).map { Double($0 * 100) })
        #expect(h.points(metric: 0).allSatisfy { $0.count == 1 })
        #expect(h.values(metric: 1) == (0..<10).map { -Double($0) })
        #expect(h.latest == [9, -9])
        #expect(h.latestStep == 900)
        #expect(h.firstStep == 0)
    }

    @Test func memoryIsBoundedAndChartsSpanTheWholeRun() {
        var h = MetricHistory(columns: 1, levelCapacity: 16)
        let n = 100_000
        for i in 0..<n { h.append(step: i, values: [Double(i)]) }
        #expect(h.totalRows == n)
        // At most `capacity` points per level and floor(log2 n) + 1 levels (a level-L point
        // summarises 2^L rows).
        let levels = n.bitWidth - n.leadingZeroBitCount
        #expect(h.storedPoints <= 16 * levels)
        let pts = h.points(metric: 0, maxCount: 100)
        #expect(pts.count <= 100)
        #expect(pts.first?.xFirst == 0)
        #expect(pts.last?.xLast == Double(n - 1))
        // Every row is counted exactly once.
        #expect(pts.reduce(0) { $0 + $1.count } == n)
    }

    @Test func summariesOfALinearSeriesStayOnTheLine() {
        // value == step, so every count-weighted mean must satisfy yMean == x up to rounding,
        // and each envelope spans its first to last sample.
        var h = MetricHistory(columns: 1, levelCapacity: 8)
        for i in 0..<5000 { h.append(step: i * 10, values: [Double(i * 10)]) }
        for p in h.points(metric: 0, maxCount: 40) {
            #expect(abs(p.x - p.yMean) <= 1e-9 * max(1, p.x))
            #expect(p.yMin == p.xFirst && p.yMax == p.xLast)
        }
    }

    @Test func recentReturnsTheNewestValuesInOrder() {
        var h = MetricHistory(columns: 1, levelCapacity: 4)
        for i in 0..<6 { h.append(step: i, values: [Double(i)]) }
        #expect(h.recent(metric: 0, count: 3) == [3, 4, 5])
        #expect(h.recent(metric: 0, count: 10) == [2, 3, 4, 5])  // level 0 keeps 4 raw rows
    }

    @Test func nonFiniteValuesAreKeptOutOfTheSeriesButNotOutOfLatest() {
        var h = MetricHistory(columns: 2)
        h.append(step: 0, values: [1, 2])
        h.append(step: 1, values: [.nan, 3])
        h.append(step: 2, values: [4])
        #expect(h.values(metric: 0) == [1, 4])
        #expect(h.skippedNonFinite(metric: 0) == 1)
        #expect(h.values(metric: 1) == [2, 3])
        #expect(h.skippedNonFinite(metric: 1) == 1)  // the missing value of the last row
        #expect(h.latest?[0] == 4)
        #expect(h.latest?[1].isNaN == true)
    }
}
