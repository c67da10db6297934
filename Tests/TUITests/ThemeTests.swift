import Testing
@testable import TUICore

@Suite struct ThemeTests {
    @Test func colormapHitsItsStopsAndInterpolatesBetween() {
        let map = Colormap(name: "t", stops: [RGB(0, 0, 0), RGB(200, 100, 0), RGB(200, 200, 200)])
        #expect(map.color(at: 0) == .rgb(0, 0, 0))
        #expect(map.color(at: 0.5) == .rgb(200, 100, 0))
        #expect(map.color(at: 1) == .rgb(200, 200, 200))
        #expect(map.color(at: 0.25) == .rgb(100, 50, 0))
        #expect(map.color(at: 0.75) == .rgb(200, 150, 100))
        #expect(map.color(at: -3) == map.color(at: 0))
        #expect(map.color(at: 9) == map.color(at: 1))
        #expect(map.color(at: .nan) == map.color(at: 0))
    }

    @Test func paletteColormapSteps() {
        let map = Colormap(name: "p", palette: [1, 2, 3, 4])
        #expect(map.color(at: 0) == .indexed(1))
        #expect(map.color(at: 0.249) == .indexed(1))
        #expect(map.color(at: 0.25) == .indexed(2))
        #expect(map.color(at: 1) == .indexed(4))
        #expect(map.stops[2] == Palette.ansi16[3])
    }

    @Test func viridisEndsAreDarkPurpleAndYellow() {
        #expect(Colormap.viridis.color(at: 0) == .rgb(0x44, 0x01, 0x54))
        #expect(Colormap.viridis.color(at: 1) == .rgb(0xFD, 0xE7, 0x25))
    }

    @Test func divergingMapIsBlueBelowZeroAndOrangeAbove() {
        for theme in [Theme.default, .mono16] {
            let low = theme.diverging.color(at: 0).rgbValue, high = theme.diverging.color(at: 1).rgbValue
            let mid = theme.diverging.color(at: 0.5).rgbValue
            #expect(low.map { $0.b > $0.r } == true, "\(theme.name)")
            #expect(high.map { $0.r > $0.b } == true, "\(theme.name)")
            // The middle (zero) is darker than both ends.
            func brightness(_ c: RGB?) -> Int { c.map { Int($0.r) + Int($0.g) + Int($0.b) } ?? 0 }
            #expect(brightness(mid) < brightness(low) && brightness(mid) < brightness(high), "\(theme.name)")
        }
    }

    @Test func mono16UsesOnlyTheSixteenAnsiColours() {
        let t = Theme.mono16
        var colours: [Color] = [t.foreground, t.background, t.accent, t.dim, t.warning, t.border] + t.series + t.groups
        colours += stride(from: 0.0, through: 1.0, by: 0.05).flatMap { [t.sequential.color(at: $0), t.diverging.color(at: $0)] }
        for c in colours {
            switch c {
            case .default: break
            case let .indexed(i): #expect(i < 16)
            case .rgb: Issue.record("mono16 uses RGB colour \(c)")
            }
        }
    }

    @Test func asciiThemeHasOnlyASCIIGlyphs() {
        let t = Theme.ascii
        let g = t.glyphs
        var symbols: [Character] = g.verticalEighths + g.horizontalEighths + g.densityRamp + g.asciiDots
        symbols += [g.halfBlockUpper, g.halfBlockLower, g.gaugeEmpty, g.axisVertical, g.axisHorizontal, g.axisCorner, g.axisTick,
                    g.marker, g.legendSwatch, g.ellipsis]
        for b in [t.borderGlyphs, t.focusedBorderGlyphs] {
            symbols += [b.horizontal, b.vertical, b.topLeft, b.topRight, b.bottomLeft, b.bottomRight]
        }
        #expect(symbols.allSatisfy { $0.isASCII })
        #expect(!g.usesBraille && !g.usesHalfBlocks)
        #expect(g.densityRamp == Array(" .:-=+*#%@"))
    }

    @Test func themesAreFoundByName() {
        #expect(Theme.named("mono16") == .mono16)
        #expect(Theme.named("ascii")?.glyphs == .ascii)
        #expect(Theme.named("nope") == nil)
        #expect(Set(Theme.builtIn.map(\.name)).count == Theme.builtIn.count)
    }

    @Test func seriesColoursCycle() {
        let t = Theme.default
        #expect(t.seriesColor(t.series.count) == t.seriesColor(0))
        #expect(t.seriesColor(-1) == t.series.last)
    }
}
