import TUICore

/// Small text helpers shared by widgets.
public enum Text {
    /// `s` shortened to `width` characters by cutting out its middle (`eee_pre` -> `ee…re`),
    /// so names that share a prefix stay apart.
    public static func abbreviate(_ s: String, to width: Int, ellipsis: Character) -> String {
        guard width > 0 else { return "" }
        guard s.count > width else { return s }
        guard width > 2 else { return String(s.prefix(width)) }
        let tail = (width - 1) / 2, head = width - 1 - tail
        return String(s.prefix(head)) + String(ellipsis) + String(s.suffix(tail))
    }

    /// `s` cut to `width` characters, ending in the theme's ellipsis when cut.
    public static func truncate(_ s: String, to width: Int, ellipsis: Character) -> String {
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
