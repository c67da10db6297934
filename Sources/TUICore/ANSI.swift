/// ANSI/SGR escape sequences for a whole buffer, for `synaptop render --ansi` and for tests.
extension Buffer {
    /// The frame as text with SGR colour codes for `colorMode`: each row starts from a reset, a
    /// code is emitted only where the style changes, and every row ends with a reset and "\n".
    public func renderANSI(colorMode: ColorMode) -> String {
        var out = ""
        out.reserveCapacity(width * height * 2)
        for y in 0..<height {
            var current = Style.plain
            for x in 0..<width {
                let cell = cells[y * width + x]
                let style = Style(fg: cell.fg.quantized(to: colorMode), bg: cell.bg.quantized(to: colorMode),
                                  attributes: cell.attributes)
                if style != current {
                    out += ANSI.sgr(style)
                    current = style
                }
                out.append(cell.symbol)
            }
            out += current == .plain ? "\n" : ANSI.reset + "\n"
        }
        return out
    }
}

/// Building blocks for SGR ("Select Graphic Rendition") escape sequences.
public enum ANSI {
    /// Resets colours and attributes.
    public static let reset = "\u{1B}[0m"

    /// A sequence that resets, then sets exactly `style` (colours must already be quantised to the
    /// terminal's mode; indices below 16 use the classic 30-37/90-97 codes).
    public static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.attributes.contains(.bold) { codes.append("1") }
        if style.attributes.contains(.dim) { codes.append("2") }
        if style.attributes.contains(.underline) { codes.append("4") }
        if style.attributes.contains(.reverse) { codes.append("7") }
        if let fg = colorCode(style.fg, foreground: true) { codes.append(fg) }
        if let bg = colorCode(style.bg, foreground: false) { codes.append(bg) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    static func colorCode(_ color: Color, foreground: Bool) -> String? {
        switch color {
        case .default:
            return nil
        case let .indexed(i) where i < 8:
            return String((foreground ? 30 : 40) + Int(i))
        case let .indexed(i) where i < 16:
            return String((foreground ? 90 : 100) + Int(i) - 8)
        case let .indexed(i):
            return (foreground ? "38;5;" : "48;5;") + String(i)
        case let .rgb(r, g, b):
            return (foreground ? "38;2;" : "48;2;") + "\(r);\(g);\(b)"
        }
    }
}
