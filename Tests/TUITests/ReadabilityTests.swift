import TUICore
import Testing
@testable import TUIWidgets

/// The frame bytes written to an ANSI terminal.
@Suite struct ANSIEncoderTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func movesOnlyWhenTheNextCellIsElsewhereAndSetsStylesOnlyWhenTheyChange() {
        var e = ANSIEncoder()
        let red = Style(fg: .rgb(255, 0, 0))
        e.encode([CellChange(x: 0, y: 0, cell: Cell("a", style: red)),
                  CellChange(x: 1, y: 0, cell: Cell("b", style: red)),
                  CellChange(x: 5, y: 2, cell: Cell("⠉", style: .plain))])
        e.finishFrame()
        // One move for the first cell, none for the adjacent one, one for the jump; the 24-bit
        // colour as 38;2; braille as its 3 UTF-8 bytes; a plain style resets and nothing more.
        #expect(text(e.bytes) == "\u{1B}[1;1H\u{1B}[0;38;2;255;0;0mab\u{1B}[3;6H\u{1B}[0m⠉")
    }

    @Test func endsAFrameWithAResetAndRemembersNothingAfterReset() {
        var e = ANSIEncoder()
        e.encode([CellChange(x: 2, y: 1, cell: Cell("x", fg: .indexed(9), bg: .indexed(200), attributes: .bold))])
        e.finishFrame()
        #expect(text(e.bytes) == "\u{1B}[2;3H\u{1B}[0;1;91;48;5;200mx\u{1B}[0m")
        e.discard()
        #expect(e.bytes.isEmpty)
        // The cursor is still known (after x at column 3): the next cell there needs no move.
        e.encode([CellChange(x: 3, y: 1, cell: Cell("y"))])
        #expect(text(e.bytes) == "y")
        e.discard()
        e.reset()
        e.encode([CellChange(x: 4, y: 1, cell: Cell("z"))])
        #expect(text(e.bytes) == "\u{1B}[2;5H\u{1B}[0mz")
    }

    @Test func controlCharactersAreWrittenAsSpaces() {
        var e = ANSIEncoder()
        var cell = Cell("a")
        cell.scalar = "\u{1B}"
        e.encode([CellChange(x: 0, y: 0, cell: cell)])
        #expect(text(e.bytes) == "\u{1B}[1;1H\u{1B}[0m ")
    }
}

/// Receptive-field grids are paged at full tile size.
@Suite struct HeatmapPagingTests {
    /// 100 tiles of 8x8 (tile k filled with k).
    static let fields = Heatmap(rows: 100, cols: 64, values: (0..<6400).map { Float($0 / 64) },
                                tile: TileShape(rows: 8, cols: 8), scale: .fixed(0, 99), paged: true)

    @Test func tilesStayAtFullSizeAndThePagesCoverEveryTile() throws {
        // 40x20 half-block pixels: 4 across (4*8+3 = 35) x 2 down (2*8+1 = 17) = 8 per page.
        let grid = try #require(Self.fields.layout(pixelWidth: 40, pixelHeight: 20))
        #expect(grid.pixelRows == 8 && grid.pixelCols == 8 && grid.gridCols == 4 && grid.shown == 8)
        #expect(grid.pages == 13 && grid.first == 0)
        var last = Self.fields
        last.page = 12
        let end = try #require(last.layout(pixelWidth: 40, pixelHeight: 20))
        #expect(end.first == 96 && end.shown == 4)
        // Pages wrap around both ways.
        last.page = -1
        #expect(try #require(last.layout(pixelWidth: 40, pixelHeight: 20)).first == 96)
        last.page = 13
        #expect(try #require(last.layout(pixelWidth: 40, pixelHeight: 20)).first == 0)
    }

    @Test func theColourBarNamesTheFieldsAndThePage() {
        var map = Self.fields
        map.page = 1
        let text = snapshot(map, 40, 11)
        #expect(text.hasSuffix("9-16/100 2/13"))
        // Page 2's first tile holds 8: its pixels are the value 8, not tile 0's.
        let b = rendered(map, 40, 11)
        #expect(b[0, 0].fg == Theme.default.sequential.color(at: 8.0 / 99))
        #expect(map.pageCount(in: Rect(width: 40, height: 11), theme: .default) == 13)
        // One 8x8 field across and two down: 50 pages, and only the page fits in the bar.
        #expect(snapshot(map, 12, 11).hasSuffix("99 2/50"))
    }

    @Test func unpagedMapsStillShrinkToShowEveryTile() throws {
        var map = Self.fields
        map.paged = false
        let grid = try #require(map.layout(pixelWidth: 40, pixelHeight: 20))
        #expect(grid.pixelRows < 8 && grid.pages == 1)
    }
}

/// Charts readable without colour: patterns, legends, labels.
@Suite struct ChartReadabilityTests {
    @Test func tickLabelsGetDigitsUntilTheyDiffer() {
        #expect(LineChart.distinctLabels([1.004, 1.002, 1.0]) == ["1.004", "1.002", "1"])
        #expect(LineChart.distinctLabels([0, 0.5, 1]) == ["0", "0.5", "1"])
        #expect(LineChart.distinctLabels([20_010, 20_005, 20_000]) == ["20.01k", "20.005k", "20k"])
        #expect(LineChart.distinctLabels([0.001_02, 0.001_01, 0.001]) == ["1.02e-03", "1.01e-03", "1e-03"])
        #expect(LineChart.distinctLabels([2, 2]) == ["2", "2"])
    }

    @Test func aFlatSeriesGetsDistinctTickLabels() {
        let chart = LineChart(series: [ChartSeries(name: "", xs: [0, 1, 2], ys: [1.0, 1.003, 1.002])], showLegend: false)
        let labels = rendered(chart, 30, 8).lines.map { $0.prefix(5).trimmingCharacters() }.filter { !$0.isEmpty }
        #expect(Set(labels).count == labels.count, "\(labels)")
    }

    @Test func seriesHaveDistinctPatternsShownInTheLegendRow() {
        let flat = { (name: String, y: Double) in ChartSeries(name: name, xs: [0, 10], ys: [y, y]) }
        let chart = LineChart(series: [flat("alpha", 3), flat("beta", 2), flat("gamma", 1), flat("delta", 0)])
        let b = rendered(chart, 60, 10, theme: .ascii)
        let legend = b.lines[0]
        for name in ["alpha", "beta", "gamma", "delta"] { #expect(legend.contains(name), "\(legend)") }
        // Without colour the four curves differ in their dot rhythm, and each legend swatch is
        // a piece of its curve.
        let curves = b.lines.dropFirst().dropLast().map { String($0.drop { $0 != "|" && $0 != "+" }.dropFirst().prefix(12)) }
            .filter { $0.contains("'") || $0.contains(".") }
        #expect(curves.count == 4 && Set(curves).count == 4, "\(curves)")
        #expect(legend.contains("''' alpha") && legend.contains("'' ") && legend.contains("' ' gamma"), "\(legend)")
    }

    @Test func longLegendsAreAbbreviatedNotDropped() {
        let names = ["lyapunov_exponent", "spectral_radius", "gain_mean"]
        let chart = LineChart(series: names.enumerated().map { ChartSeries(name: $1, xs: [0, 1], ys: [Double($0), 1]) })
        let legend = rendered(chart, 38, 10).lines[0]
        #expect(legend.contains("…") && legend.filter { $0 == "…" }.count >= 2, "\(legend)")
        #expect(!legend.contains("+"), "\(legend)")
    }

    @Test func markerLabelsNeverOverlapEachOtherOrTheCurve() {
        let chart = LineChart(series: [ChartSeries(name: "", xs: [0, 100], ys: [0, 0])],
                              markers: [ChartMarker(x: 40, label: "feedback_alignment"), ChartMarker(x: 45, label: "node_perturbation"),
                                        ChartMarker(x: 70, label: "backprop")],
                              showLegend: false)
        let b = rendered(chart, 50, 12)
        let top = b.lines.prefix(3).joined(separator: "\n")
        // The newest label is whole; the older ones are cut before the next marker or moved
        // down a row; no label runs into another.
        #expect(top.contains("backprop"), "\(top)")
        #expect(!top.contains("alignment┊") && !top.contains("nod┊"), "\(top)")
        let labelRows = b.lines.prefix(3).filter { $0.contains("no") || $0.contains("fe") }
        #expect(!labelRows.isEmpty, "\(top)")
    }

    @Test func aClickReadsTheSeriesOutInTheLabelRow() {
        var chart = LineChart(series: [ChartSeries(name: "loss", xs: [0, 50, 100], ys: [4, 2, 1])], showLegend: false,
                              xLabel: "step")
        chart.cursorX = 25
        let last = rendered(chart, 40, 8).lines[7]
        #expect(last.contains("step ") && last.contains("loss "), "\(last)")
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " || $0 == "┤" || $0 == "│" }.reversed())
    }
}
