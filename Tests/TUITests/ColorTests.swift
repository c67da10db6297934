import Testing
@testable import TUICore

@Suite struct ColorTests {
    @Test func cubeCornersAndGreyRampQuantiseTo256() {
        #expect(Color.rgb(0, 0, 0).quantized(to: .palette256) == .indexed(16))
        #expect(Color.rgb(255, 255, 255).quantized(to: .palette256) == .indexed(231))
        #expect(Color.rgb(255, 0, 0).quantized(to: .palette256) == .indexed(196))  // 16 + 36*5
        #expect(Color.rgb(0, 95, 135).quantized(to: .palette256) == .indexed(24))  // 16 + 6*1 + 2
        // 128 grey: ramp step (128 - 8) / 10 = 12 is exact, the nearest cube grey is 135 away by 7.
        #expect(Color.rgb(128, 128, 128).quantized(to: .palette256) == .indexed(244))
    }

    @Test func everyPaletteEntryAbove15RoundTrips() {
        for i in 16...255 {
            let rgb = Palette.rgb(ofIndex: UInt8(i))
            #expect(Palette.nearest256(rgb) == UInt8(i), "index \(i) -> \(rgb)")
        }
    }

    @Test func nearest256IsTheTrueNearestEntry() {
        // Brute force over indices 16-255 on a coarse RGB grid.
        for r in stride(from: 0, through: 255, by: 17) {
            for g in stride(from: 0, through: 255, by: 51) {
                for b in stride(from: 3, through: 255, by: 42) {
                    let c = RGB(UInt8(r), UInt8(g), UInt8(b))
                    let best = (16...255).map { Palette.rgb(ofIndex: UInt8($0)).distanceSquared(to: c) }.min() ?? 0
                    let chosen = Palette.rgb(ofIndex: Palette.nearest256(c)).distanceSquared(to: c)
                    #expect(chosen == best, "\(c)")
                }
            }
        }
    }

    @Test func sixteenColourQuantisationPicksNearestAnsiColour() {
        #expect(Color.rgb(250, 5, 5).quantized(to: .palette16) == .brightRed)
        #expect(Color.rgb(200, 10, 0).quantized(to: .palette16) == .red)
        #expect(Color.rgb(10, 10, 10).quantized(to: .palette16) == .black)
        #expect(Color.indexed(3).quantized(to: .palette16) == .indexed(3))
        // Cube entry 226 is (255, 255, 0): bright yellow.
        #expect(Color.indexed(226).quantized(to: .palette16) == .brightYellow)
    }

    @Test func quantisationIsIdempotentAndMonochromeDropsColour() {
        let colours: [Color] = [.default, .indexed(5), .indexed(100), .rgb(12, 200, 77), .rgb(255, 128, 0)]
        for mode in ColorMode.allCases {
            for c in colours {
                let q = c.quantized(to: mode)
                #expect(q.quantized(to: mode) == q)
                if mode == .monochrome { #expect(q == .default) }
                if mode == .truecolor { #expect(q == c) }
            }
        }
    }

    @Test func hexParsingAndMixing() {
        #expect(RGB(hex: "#FDE725") == RGB(0xFD, 0xE7, 0x25))
        #expect(RGB(hex: "12345") == nil)
        #expect(RGB(hex: "zzzzzz") == nil)
        #expect(RGB(0, 100, 200).mixed(with: RGB(100, 200, 0), 0.5) == RGB(50, 150, 100))
        #expect(RGB(0, 0, 0).mixed(with: RGB(255, 255, 255), 2) == RGB(255, 255, 255))
    }
}
