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

    @Test func asciiThemeDrawsOnlyASCII() {
        for (name, widget) in Fixtures.all {
            var buffer = Buffer(width: 40, height: 12)
            widget.render(in: buffer.area, buffer: &buffer, theme: .ascii)
            let nonASCII = buffer.cells.filter { !$0.symbol.isASCII }.map(\.symbol)
            #expect(nonASCII.isEmpty, "\(name) drew \(nonASCII.prefix(5)) with the ASCII theme")
        }
    }
}
