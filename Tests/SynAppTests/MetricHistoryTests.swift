import Testing
@testable import SynApp

@Suite struct MetricHistoryTests {
    @Test func keepsEveryRowBelowCapacity() {
        var h = MetricHistory(columns: 2, levelCapacity: 16, maxLevels: 3)
        for i in 0..<10 { h.append(step: i * 100, values: [Double(i), -Double(i)]) }
        #expect(h.count == 10)
        #expect(h.points(metric: 0).map(\.step) == (0..<10).map { Double($0 * 100) })
        #expect(h.values(metric: 1) == (0..<10).map { -Double($0) })
        #expect(h.latest == [9, -9])
        #expect(h.latestStep == 900)
    }

    @Test func memoryIsBoundedAndSpansTheWholeRun() {
        var h = MetricHistory(columns: 1, levelCapacity: 16, maxLevels: 4)
        let n = 100_000
        for i in 0..<n { h.append(step: i, values: [Double(i)]) }
        #expect(h.totalRows == n)
        #expect(h.count <= 16 * 4)
        let pts = h.points(metric: 0)
        // Oldest first, strictly increasing steps, ending at the newest row.
        #expect(zip(pts, pts.dropFirst()).allSatisfy { $0.step < $1.step })
        #expect(pts.last?.step == Double(n - 1))
        // Weighted means keep the oldest retained point near the start of the run.
        #expect((pts.first?.step ?? .infinity) < Double(n) / 8)
        #expect(h.firstStep == 0)
    }

    @Test func pairwiseAveragesOfALinearSeriesStayOnTheLine() {
        // value == step, so every (weighted) average must satisfy value == step up to rounding.
        var h = MetricHistory(columns: 1, levelCapacity: 8, maxLevels: 3)
        for i in 0..<5000 { h.append(step: i * 10, values: [Double(i * 10)]) }
        for p in h.points(metric: 0) { #expect(abs(p.step - p.value) <= 1e-9 * max(1, p.step)) }
        #expect(h.firstStep == 0)
    }

    @Test func recentReturnsTheNewestValuesInOrder() {
        var h = MetricHistory(columns: 1, levelCapacity: 4, maxLevels: 3)
        for i in 0..<6 { h.append(step: i, values: [Double(i)]) }
        // Level 0 holds 2...5 (4 rows); 0 and 1 were merged into one level-1 row (0.5).
        #expect(h.recent(metric: 0, count: 3) == [3, 4, 5])
        #expect(h.recent(metric: 0, count: 5) == [0.5, 2, 3, 4, 5])
    }

    @Test func missingValuesReadAsNaN() {
        var h = MetricHistory(columns: 3)
        h.append(step: 0, values: [1])
        #expect(h.latest?[0] == 1)
        #expect(h.latest?[2].isNaN == true)
    }
}
