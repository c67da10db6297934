import TUICore
import Testing
@testable import TUIWidgets

@Suite struct HistogramTests {
    @Test func barsLabelsAndPeak() {
        // Bins of 0, 2, 4, 8 over 8 columns: two columns each; 8 -> 2 rows, 4 -> 1 row, 2 -> half.
        #expect(snapshot(Histogram(counts: [0, 2, 4, 8], lower: 0, upper: 1, label: "w"), 8, 4) == """
            w  max 8
                  ██
              ▄▄████
            0      1
            """)
    }

    @Test func binsAreSummedOrSpreadOverColumns() {
        let h = Histogram(counts: [1, 2, 3, 4, 5, 6], lower: 0, upper: 1)
        #expect(h.columnCounts(width: 3) == [3, 7, 11])
        #expect(h.columnCounts(width: 4) == [1, 5, 4, 11])  // bins 0, 1-2, 3, 4-5
        #expect(h.columnCounts(width: 4).reduce(0, +) == 21)
        #expect(Histogram(counts: [1, 2], lower: 0, upper: 1).columnCounts(width: 5) == [1, 1, 1, 2, 2])
    }

    @Test func emptyOrTinyIsAPlaceholder() {
        #expect(snapshot(Histogram(counts: [], lower: 0, upper: 1), 10, 3) == "\n    …\n")
        #expect(snapshot(Histogram(counts: [1], lower: 0, upper: 1), 7, 3) == "\n   …\n")
        #expect(snapshot(Histogram(counts: [0, 0], lower: 0, upper: 1, label: "x"), 8, 3) == "x  max 0\n\n0      1")
    }
}

@Suite struct SparklineTests {
    @Test func eighthsFollowTheValues() {
        #expect(snapshot(Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7, 8]), 9, 1) == " ▁▂▃▄▅▆▇█")
        #expect(snapshot(Sparkline(values: [0, 4, 8]), 3, 2) == "  █\n ██")
    }

    @Test func showsTheLatestValuesRightAligned() {
        #expect(snapshot(Sparkline(values: [8, 8, 0, 8]), 2, 1) == " █")
        #expect(snapshot(Sparkline(values: [8]), 3, 1) == "  █")
    }

    @Test func fixedRangeAndNonFiniteValues() {
        #expect(snapshot(Sparkline(values: [1, 2, .nan, 4], range: .fixed(0, 8)), 4, 1) == "▁▂ ▄")
        #expect(snapshot(Sparkline(values: [3, 3]), 2, 1) == "██")
        #expect(snapshot(Sparkline(values: []), 0, 0) == "")
    }
}

@Suite struct GaugeTests {
    @Test func barFillsByEighths() {
        #expect(snapshot(Gauge(label: "acc", fraction: 0.25), 12, 1) == "acc █··· 25%")
        #expect(snapshot(Gauge(label: "acc", fraction: 0.3125, valueText: "5/16"), 13, 1) == "acc █▎·· 5/16")
        #expect(snapshot(Gauge(label: "", fraction: 2), 8, 1) == "███ 100%")
    }

    @Test func tooNarrowForABarShowsText() {
        #expect(snapshot(Gauge(label: "acc", fraction: 0.25), 8, 1) == "acc 25%")
        #expect(snapshot(Gauge(label: "accuracy", fraction: .nan), 5, 3) == "\naccu…\n")
    }
}
