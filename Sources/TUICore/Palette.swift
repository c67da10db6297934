/// The standard xterm palette and nearest-colour search used by `Color.quantized(to:)`.
public enum Palette {
    /// The 16 ANSI colours as xterm draws them by default.
    public static let ansi16: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// Channel levels of the 6x6x6 colour cube (indices 16-231).
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of palette entry `index`.
    public static func rgb(ofIndex index: UInt8) -> RGB {
        let i = Int(index)
        if i < 16 { return ansi16[i] }
        if i >= 232 {
            let v = UInt8(8 + 10 * (i - 232))
            return RGB(v, v, v)
        }
        let c = i - 16
        return RGB(cubeLevels[c / 36], cubeLevels[c / 6 % 6], cubeLevels[c % 6])
    }

    /// Nearest entry among indices 16-255 (cube and grey ramp; the 16 ANSI colours are skipped
    /// because terminals redefine them).
    public static func nearest256(_ c: RGB) -> UInt8 {
        let ri = nearestCubeLevel(c.r), gi = nearestCubeLevel(c.g), bi = nearestCubeLevel(c.b)
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let cube = RGB(cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        // Grey ramp 8, 18, ..., 238: nearest step to the channel mean.
        let mean = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyStep = min(max((mean - 8 + 5) / 10, 0), 23)
        let greyValue = UInt8(8 + 10 * greyStep)
        let grey = RGB(greyValue, greyValue, greyValue)
        if grey.distanceSquared(to: c) < cube.distanceSquared(to: c) {
            return UInt8(232 + greyStep)
        }
        return UInt8(cubeIndex)
    }

    /// Nearest of the 16 ANSI colours (first index wins ties).
    public static func nearest16(_ c: RGB) -> UInt8 {
        var best = 0, bestDistance = Int.max
        for (i, p) in ansi16.enumerated() {
            let d = p.distanceSquared(to: c)
            if d < bestDistance {
                best = i
                bestDistance = d
            }
        }
        return UInt8(best)
    }

    private static func nearestCubeLevel(_ v: UInt8) -> Int {
        // Level boundaries are the midpoints between 0, 95, 135, 175, 215, 255.
        let v = Int(v)
        if v < 48 { return 0 }
        if v < 115 { return 1 }
        return min((v - 35) / 40, 5)
    }
}
