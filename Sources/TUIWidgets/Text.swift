import TUICore

/// Small text helpers shared by widgets.
enum Text {
    /// `s` cut to `width` characters, ending in the theme's ellipsis when cut.
    static func truncate(_ s: String, to width: Int, ellipsis: Character) -> String {
        guard width > 0 else { return "" }
        guard s.count > width else { return s }
        guard width > 1 else { return String(ellipsis) }
        return String(s.prefix(width - 1)) + String(ellipsis)
    }

    /// Writes `s` centred in row `y` of `area`, truncated to fit.
    static func centered(_ s: String, in area: Rect, y: Int, style: Style, buffer: inout Buffer, theme: Theme) {
        let t = truncate(s, to: area.width, ellipsis: theme.glyphs.ellipsis)
        buffer.write(t, x: area.x + (area.width - t.count) / 2, y: y, style: style, clip: area)
    }

    /// Writes `s` right-aligned so it ends at column `maxX` (exclusive) on row `y`.
    static func rightAligned(_ s: String, maxX: Int, y: Int, style: Style, clip: Rect, buffer: inout Buffer) {
        buffer.write(s, x: maxX - s.count, y: y, style: style, clip: clip)
    }

    /// Greedy word wrap of one paragraph into lines of at most `width` characters; words longer
    /// than a line are split.
    static func wrap(_ paragraph: Substring, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            while word.count > width {
                if !line.isEmpty {
                    lines.append(line)
                    line = ""
                }
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            if word.isEmpty { continue }
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}

/// Compact number formatting for axis labels and readouts.
public enum NumberFormat {
    /// At most about 6 characters: "0", "12.5", "0.034", "1.2k", "3.4M", "1e-05", "-7.1".
    public static func compact(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == 0 { return "0" }
        let a = abs(v), sign = v < 0 ? "-" : ""
        if a >= 1e9 { return sign + trimmed(a / 1e9, 1) + "G" }
        if a >= 1e6 { return sign + trimmed(a / 1e6, 1) + "M" }
        if a >= 1e4 { return sign + trimmed(a / 1e3, 1) + "k" }
        if a >= 100 { return sign + trimmed(a, 0) }
        if a >= 10 { return sign + trimmed(a, 1) }
        if a >= 1 { return sign + trimmed(a, 2) }
        if a >= 0.01 { return sign + trimmed(a, 3) }
        return sign + scientific(a)
    }

    /// `v` with `digits` decimals, trailing zeros (and a trailing point) removed.
    static func trimmed(_ v: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (v * scale).rounded() / scale
        var s = String(r)
        if s.hasSuffix(".0") { s.removeLast(2) }
        if let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) - 1 > digits {
            s = String(s[..<s.index(dot, offsetBy: digits + 1)])
        }
        return s
    }

    /// "1e-05" style with one significant digit (two if it is not an integer mantissa).
    static func scientific(_ a: Double) -> String {
        var exponent = 0
        var m = a
        while m < 1 { m *= 10; exponent -= 1 }
        while m >= 10 { m /= 10; exponent += 1 }
        let mantissa = (m * 10).rounded() / 10
        let mText = mantissa == mantissa.rounded() ? String(Int(mantissa)) : trimmed(mantissa, 1)
        let eText = exponent < 0 ? "-" + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
                                 : String(exponent)
        return mText + "e" + eText
    }
}
