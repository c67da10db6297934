import TUICore
import Testing
import TUIWidgets

/// Properties every widget must have, checked for all of them at many sizes and themes.
@Suite struct WidgetContractTests {
    static let sizes = [(0, 0), (1, 1), (2, 1), (1, 3), (3, 2), (5, 3), (12, 4), (40, 12)]

    @Test(arguments: Theme.builtIn)
    func widgetsDrawOnlyInsideTheirAreaAtAnySize(theme: Theme) {
        let sentinel = Cell("X", fg: .red)
        for (name, widget) in Fixtures.all {
            for (w, h) in Self.sizes {
                var buffer = Buffer(width: w + 4, height: h + 4, fill: sentinel)
                let area = Rect(x: 2, y: 2, width: w, height: h)
                widget.render(in: area, buffer: &buffer, theme: theme)
                for y in 0..<buffer.height {
                    for x in 0..<buffer.width where !area.contains(x: x, y: y) {
                        #expect(buffer[x, y] == sentinel, "\(name) drew outside \(w)x\(h) at (\(x), \(y))")
                    }
                }
            }
        }
    }

    @Test func widgetsOwnTheirWholeAreaAndRenderDeterministically() {
        // Whatever was in the area before must not show through (the help overlay is the one
        // widget meant to be drawn over others, so it is left out).
        for (name, widget) in Fixtures.all where name != "HelpOverlay" {
            for (w, h) in Self.sizes {
                var clean = Buffer(width: w, height: h)
                var dirty = Buffer(width: w, height: h, fill: Cell("Z", fg: .green, bg: .blue, attributes: .underline))
                widget.render(in: clean.area, buffer: &clean, theme: .default)
                widget.render(in: dirty.area, buffer: &dirty, theme: .default)
                #expect(clean == dirty, "\(name) at \(w)x\(h)")
            }
        }
    }

    @Test func asciiThemeDrawsOnlyASCII() {
        for (name, widget) in Fixtures.all {
            var buffer = Buffer(width: 40, height: 12)
            widget.render(in: buffer.area, buffer: &buffer, theme: .ascii)
            let nonASCII = buffer.cells.filter { !$0.symbol.isASCII }.map(\.symbol)
            #expect(nonASCII.isEmpty, "\(name) drew \(nonASCII.prefix(5)) with the ASCII theme")
        }
    }
}

/// Hostile numbers (NaN, infinities, empty or mismatched arrays) must never crash a widget.
@Suite struct WidgetRobustnessTests {
    static let hostile: [(String, any Widget)] = [
        ("Heatmap inf limits", Heatmap(rows: 2, cols: 2, values: [0, 1, .infinity, .nan], scale: .fixed(-.infinity, .infinity))),
        ("Heatmap nan limits", Heatmap(rows: 2, cols: 2, values: [0, 1, 2, 3], scale: .symmetric(.nan))),
        ("Heatmap short values", Heatmap(rows: 9, cols: 9, values: [1, 2], tile: TileShape(rows: 3, cols: 3), scale: .fixed(0, 1))),
        ("Heatmap huge tile count", Heatmap(rows: 5000, cols: 4, values: [], tile: TileShape(rows: 2, cols: 2), scale: .fixed(0, 1))),
        ("LineChart infinities", LineChart(series: [ChartSeries(name: "x", xs: [0, .infinity, 2], ys: [.nan, 1, -.infinity])])),
        ("LineChart mismatched", LineChart(series: [ChartSeries(name: "x", xs: [0, 1, 2], ys: [1]),
                                                    .envelope(name: "e", xs: [0, 1], lower: [2, 1], upper: [1])])),
        ("LineChart huge values", LineChart(series: [ChartSeries(name: "x", xs: [0, 1], ys: [-1e300, 1e300])], logY: true)),
        ("LineChart inverted fixed", LineChart(series: [ChartSeries(name: "x", values: [1, 2])], yRange: .fixed(5, -5))),
        ("Sparkline inf range", Sparkline(values: [1, .infinity, -.infinity, .nan], range: .fixed(-.infinity, .infinity))),
        ("SpectrumBars nan", SpectrumBars(eigenvalues: [.nan, .infinity, -1, 1e-300, 1e300], decades: 1000)),
        ("Histogram negative", Histogram(counts: [-5, 3, Int.max / 4], lower: .nan, upper: .infinity)),
        ("Raster nan dt", Raster(neuronCount: 3, from: -5, to: 5, dt: .nan, steps: [-5, 4, 9, Int32.max], neurons: [0, -1, 2, 2])),
        ("Raster mismatched", Raster(neuronCount: 1, from: 0, to: Int(Int32.max), dt: 1, steps: [0, 1], neurons: [0])),
        ("Gauge inf", Gauge(label: "g", fraction: .infinity)),
        ("TextPanel scroll", TextPanel("a\n\n\nb", scroll: -4)),
        ("TooSmall negative", TooSmall(neededWidth: -1, neededHeight: 0)),
    ]

    @Test func hostileInputsRenderWithoutCrashingOrLeavingTheirArea() {
        let sentinel = Cell("X", fg: .red)
        for (name, widget) in Self.hostile {
            for (w, h) in [(0, 0), (1, 1), (3, 2), (12, 5), (40, 12)] {
                for theme in [Theme.default, .ascii] {
                    var b = Buffer(width: w + 2, height: h + 2, fill: sentinel)
                    let area = Rect(x: 1, y: 1, width: w, height: h)
                    widget.render(in: area, buffer: &b, theme: theme)
                    let outside = (0..<b.height).flatMap { y in (0..<b.width).map { (x: $0, y: y) } }
                        .filter { !area.contains(x: $0.x, y: $0.y) }
                    #expect(outside.allSatisfy { b[$0.x, $0.y] == sentinel }, "\(name) at \(w)x\(h)")
                }
            }
        }
    }
}
