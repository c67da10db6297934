/// Turns the changed cells of a frame into the bytes an ANSI/xterm terminal needs: a cursor move
/// (`ESC [ row ; col H`) only where the next cell is not where the cursor already is, an SGR
/// sequence only where the style changes, then the UTF-8 bytes of the symbol.
///
/// This is how ratatui/crossterm write frames. It exists because going through ncurses' own
/// screen (one `wadd_wch` per cell, then `doupdate` diffing a second copy of the screen) cost
/// several times more CPU than building the frame, and because ncurses can only emit 24-bit
/// colour with a direct-colour terminfo entry, which almost no `TERM` names. Colours must
/// already be quantised to the terminal's mode (`Buffer.quantizeColors`); `.rgb` colours are
/// written as `38;2;r;g;b`.
///
/// Pure value: the same changes give the same bytes; `reset()` forgets the cursor and style
/// (after anything else wrote to the terminal).
public struct ANSIEncoder: Sendable {
    /// The bytes of the frame being built (`take()` empties it, keeping its capacity).
    public private(set) var bytes: [UInt8] = []
    private var cursorX = -1, cursorY = -1
    private var style: Style?

    public init() {
        bytes.reserveCapacity(64 * 1024)
    }

    /// Forgets where the cursor is and which style is set: the next cell moves and sets both.
    public mutating func reset() {
        cursorX = -1
        cursorY = -1
        style = nil
    }

    /// Appends the bytes for `changes` (in row-major order, as `Buffer.diff` gives them).
    public mutating func encode(_ changes: [CellChange]) {
        for c in changes {
            if c.x != cursorX || c.y != cursorY { moveTo(x: c.x, y: c.y) }
            let s = c.cell.style
            if s != style {
                appendSGR(s)
                style = s
            }
            appendScalar(c.cell.scalar)
            cursorX = c.x + 1
            cursorY = c.y
        }
    }

    /// Ends a frame: resets the attributes (so nothing leaks into the shell if the program dies
    /// between frames). Write `bytes` out, then `discard()`.
    public mutating func finishFrame() {
        if style != nil && style != .plain {
            append("\u{1B}[0m")
            style = .plain
        }
    }

    /// Empties the pending bytes without returning them (capacity kept).
    public mutating func discard() {
        bytes.removeAll(keepingCapacity: true)
    }

    // MARK: Pieces

    private mutating func moveTo(x: Int, y: Int) {
        bytes.append(0x1B)
        bytes.append(0x5B)  // [
        appendDecimal(y + 1)
        bytes.append(0x3B)  // ;
        appendDecimal(x + 1)
        bytes.append(0x48)  // H
        cursorX = x
        cursorY = y
    }

    private mutating func appendSGR(_ s: Style) {
        bytes.append(0x1B)
        bytes.append(0x5B)
        bytes.append(0x30)  // 0: start from a reset, so the sequence sets exactly `s`
        if s.attributes.contains(.bold) { append(";1") }
        if s.attributes.contains(.dim) { append(";2") }
        if s.attributes.contains(.underline) { append(";4") }
        if s.attributes.contains(.reverse) { append(";7") }
        appendColor(s.fg, foreground: true)
        appendColor(s.bg, foreground: false)
        bytes.append(0x6D)  // m
    }

    private mutating func appendColor(_ color: Color, foreground: Bool) {
        switch color {
        case .default:
            return
        case let .indexed(i) where i < 8:
            bytes.append(0x3B)
            appendDecimal((foreground ? 30 : 40) + Int(i))
        case let .indexed(i) where i < 16:
            bytes.append(0x3B)
            appendDecimal((foreground ? 90 : 100) + Int(i) - 8)
        case let .indexed(i):
            append(foreground ? ";38;5;" : ";48;5;")
            appendDecimal(Int(i))
        case let .rgb(r, g, b):
            append(foreground ? ";38;2;" : ";48;2;")
            appendDecimal(Int(r))
            bytes.append(0x3B)
            appendDecimal(Int(g))
            bytes.append(0x3B)
            appendDecimal(Int(b))
        }
    }

    private mutating func append(_ ascii: StaticString) {
        ascii.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func appendDecimal(_ n: Int) {
        var v = max(0, n)
        if v >= 10000 { v = 9999 }
        if v >= 1000 { bytes.append(UInt8(48 + v / 1000)) }
        if v >= 100 { bytes.append(UInt8(48 + v / 100 % 10)) }
        if v >= 10 { bytes.append(UInt8(48 + v / 10 % 10)) }
        bytes.append(UInt8(48 + v % 10))
    }

    private mutating func appendScalar(_ u: Unicode.Scalar) {
        // Control characters would move the cursor: show them as spaces.
        let v = u.value < 0x20 || u.value == 0x7F ? 0x20 : u.value
        switch v {
        case 0..<0x80:
            bytes.append(UInt8(v))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (v >> 6)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (v >> 12)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (v >> 18)))
            bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
