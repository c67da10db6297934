import TUICore
import Testing
@testable import TUIWidgets

@Suite struct LineChartTests {
    static let diagonal = [ChartSeries(name: "a", xs: [0, 1, 2, 3], ys: [0, 1, 2, 3])]

    @Test func diagonalWithAxesAndLegend() {
        #expect(snapshot(LineChart(series: Self.diagonal), 14, 5) == """
            3┤       ⠒⠒⠒ a
             │      ⡠⠔⠉
             │   ⣀⠔⠊
            0┤⡠⠔⠉
             └0          3
            """)
    }

    @Test func asciiFallbackUsesQuoteDotAndColon() {
        #expect(snapshot(LineChart(series: Self.diagonal), 14, 5, theme: .ascii) == """
            3+       ''' a
             |      .'
             |   ..'
            0+.''
             +0          3
            """)
    }

    @Test func logAxisLabelsAndMarker() {
        let chart = LineChart(series: [ChartSeries(name: "a", xs: [0, 10], ys: [1, 1000])], logY: true,
                              markers: [ChartMarker(x: 5, label: "hebb")])
        // 31.6 is the geometric middle of 1 and 1000; the marker sits at half the plot width.
        #expect(snapshot(chart, 30, 6) == """
            1000┤            ┊hebb   ⠒⠒⠒ a
                │            ┊  ⣀⡠⠔⠒⠉
            31.6┤          ⣀⠤⠔⠒⠉
                │     ⣀⠤⠔⠊⠉  ┊
               1┤⣀⠤⠒⠊⠉       ┊
                └0                      10
            """)
        // Too narrow for the label between the marker and the legend: it is left out rather
        // than drawn over the legend or the curve.
        #expect(snapshot(chart, 20, 6) == """
            1000┤       ┊  ⠒⠒⠒ a
                │       ┊ ⣀⠔⠊
            31.6┤      ⡠⠔⠊
                │   ⡠⠔⠉ ┊
               1┤⡠⠔⠉    ┊
                └0            10
            """)
    }

    @Test func fixedRangeClipsPointsOutsideIt() {
        let chart = LineChart(series: [ChartSeries(name: "", xs: [0, 1, 2], ys: [0, 5, 0])], yRange: .fixed(0, 1),
                              showLegend: false)
        // The peak at y = 5 leaves the top of the plot; only the parts inside are drawn.
        #expect(snapshot(chart, 12, 4) == """
            1┤ ⢀⠇    ⠘⡄
             │ ⡎      ⠱⡀
            0┤⡜        ⢣
             └0        2
            """)
    }

    @Test func envelopeFillsBetweenLowerAndUpper() {
        let band = ChartSeries.envelope(name: "", xs: [0, 1], lower: [0, 0], upper: [1, 1])
        let chart = LineChart(series: [band, ChartSeries(name: "", xs: [0, 1], ys: [2, 2])], showLegend: false)
        #expect(snapshot(chart, 12, 4) == """
            2┤⠉⠉ ⠉⠉ ⠉⠉ ⠉
             │⣤⣤⣤⣤⣤⣤⣤⣤⣤⣤
            0┤⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
             └0        1
            """)
    }

    @Test func theLegendListsOnlyNamedSeriesInTheirOwnPatterns() {
        // Series 0 and 2 are unnamed (a band's edges): drawn, not listed. "b" keeps index 3's
        // pattern (sparse) in its swatch, so the legend matches its curve.
        let chart = LineChart(series: [ChartSeries(name: "", xs: [0, 1], ys: [0, 0]), ChartSeries(name: "a", xs: [0, 1], ys: [1, 1]),
                                       ChartSeries(name: "", xs: [0, 1], ys: [0.5, 0.5]), ChartSeries(name: "b", xs: [0, 1], ys: [2, 2])],
                              showLegend: true)
        let text = snapshot(chart, 24, 8)
        // a's swatch is dashed (series 1), b's sparse (series 3); nothing for the unnamed ones.
        #expect(text.split(separator: "\n").first == "⠒⠒  a  ⠂ ⠐ b", "\(text)")
    }

    @Test func nonFiniteAndNonPositiveOnLogAreSkipped() {
        let chart = LineChart(series: [ChartSeries(name: "", xs: [0, 1, 2, 3], ys: [1, .nan, -1, 10])], logY: true,
                              showLegend: false)
        let text = snapshot(chart, 12, 4)
        #expect(text.contains("10"))
        // Two isolated points: the bottom-left and the top-right dot.
        #expect(text == """
            10┤        ⠈
              │
             1┤⡀
              └0       3
            """)
    }

    @Test func markersOutsideTheXRangeAreNotDrawnAndLabelsAreCut() {
        let series = [ChartSeries(name: "", xs: [0, 10], ys: [0, 0])]
        let outside = LineChart(series: series, markers: [ChartMarker(x: 11, label: "late")])
        #expect(!snapshot(outside, 12, 4).contains("┊"))
        // x = 10 is the last dot column: no room for the label to its right.
        let atEnd = LineChart(series: series, markers: [ChartMarker(x: 10, label: "end")])
        #expect(snapshot(atEnd, 12, 4).split(separator: "\n")[0].hasSuffix("┊"))
        let early = LineChart(series: series, markers: [ChartMarker(x: 0, label: "switch to oja")])
        #expect(snapshot(early, 14, 4).split(separator: "\n")[0] == " 1┤┊switch to…")
    }

    @Test func xCaptionSitsBetweenTheRangeLabels() {
        let chart = LineChart(series: [ChartSeries(name: "", xs: [12_345.6, 20_000], ys: [0, 1])], xLabel: "step")
        // Labels "12.3k" and "20k" with "step" centred in the 10 columns between them.
        #expect(snapshot(chart, 22, 4).split(separator: "\n").last == " └12.3k    step    20k")
        #expect(!snapshot(chart, 14, 4).contains("step"))
    }

    @Test func flatDataGetsAPaddedRange() {
        let zero = AxisScale.fitting([[0, 0]], log: false), five = AxisScale.fitting([[5, .nan, 5]], log: false)
        #expect(zero.lo == -1 && zero.hi == 1)
        #expect(five.lo == 4.5 && five.hi == 5.5)
        let logScale = AxisScale.fitting([[100, -1]], log: true)
        #expect(logScale.lo == 1.5 && logScale.hi == 2.5)
        let none = AxisScale.fitting([[.nan]], log: false)
        #expect(none.lo == 0 && none.hi == 1)
    }

    @Test func tooSmallAreasGetAPlaceholder() {
        #expect(snapshot(LineChart(series: Self.diagonal), 9, 5) == "\n\n    …\n\n")
        #expect(snapshot(LineChart(series: Self.diagonal), 1, 1) == "…")
        #expect(snapshot(LineChart(series: Self.diagonal), 0, 0) == "")
        #expect(snapshot(LineChart(series: []), 10, 4) == """
            1┤
             │
            0┤
             └0      1
            """)
    }
}
