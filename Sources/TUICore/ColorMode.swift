/// How many colours the terminal can show.
public enum ColorMode: String, Sendable, CaseIterable {
    /// 24-bit colour (`COLORTERM=truecolor`).
    case truecolor
    /// The xterm 256-colour palette.
    case palette256
    /// The 16 ANSI colours.
    case palette16
    /// No colour: only attributes (bold, reverse, ...) distinguish things.
    case monochrome
}

extension Buffer {
    /// Maps every cell's colours to what a terminal in `mode` shows, so that diffs skip cells
    /// whose visible colour did not change (e.g. a weight that moved slightly on a 256-colour
    /// terminal). A no-op for truecolor.
    public mutating func quantizeColors(to mode: ColorMode) {
        guard mode != .truecolor else { return }
        for y in 0..<height {
            for x in 0..<width {
                var c = self[x, y]
                let fg = c.fg.quantized(to: mode), bg = c.bg.quantized(to: mode)
                if fg != c.fg || bg != c.bg {
                    c.fg = fg
                    c.bg = bg
                    set(x: x, y: y, cell: c)
                }
            }
        }
    }
}
