#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TUICore

/// Where frames go and input comes from: the ncurses terminal, or memory in tests and benchmarks.
///
/// The app renders a frame into a `Buffer`, diffs it with the previous frame and hands only the
/// changed cells to `draw`, then calls `flush` once per frame.
public protocol TerminalBackend: AnyObject {
    /// Current size in cells.
    var size: TerminalSize { get }
    /// How many colours the terminal shows; cell colours are quantised to this.
    var colorMode: ColorMode { get }
    /// Whether the terminal can show UTF-8 (braille, blocks); false means ASCII glyphs only.
    var supportsUnicode: Bool { get }
    /// Writes changed cells to the pending frame.
    func draw(_ changes: [CellChange])
    /// Forgets what is on the screen: the next frame is drawn in full (after a resize).
    func invalidate()
    /// Shows the pending frame.
    func flush()
    /// Waits up to `timeoutMilliseconds` (0 = just check) for one input event.
    func pollEvent(timeoutMilliseconds: Int) -> InputEvent?
}

/// Counts the bytes a terminal writer would send for a list of changed cells: a cursor move
/// (`ESC [ row ; col H`) wherever the next cell is not where the cursor already is, an SGR
/// sequence wherever the style changes, and the UTF-8 bytes of each symbol. Used by the memory
/// backend to estimate output bandwidth (`synaptop bench dashboard`).
public struct OutputByteCounter: Sendable {
    public private(set) var bytes = 0
    private var cursor: (x: Int, y: Int)?
    private var style: Style?
    public let colorMode: ColorMode

    public init(colorMode: ColorMode) {
        self.colorMode = colorMode
    }

    public mutating func count(_ changes: [CellChange]) {
        for c in changes {
            if let cur = cursor, cur.x == c.x, cur.y == c.y {
                // Already there.
            } else {
                bytes += 4 + decimalDigits(c.y + 1) + decimalDigits(c.x + 1)
            }
            let s = Style(fg: c.cell.fg.quantized(to: colorMode), bg: c.cell.bg.quantized(to: colorMode),
                          attributes: c.cell.attributes)
            if s != style {
                bytes += ANSI.sgr(s).utf8.count
                style = s
            }
            bytes += c.cell.symbol.utf8.count
            cursor = (c.x + 1, c.y)
        }
    }

    public mutating func reset() {
        bytes = 0
        cursor = nil
        style = nil
    }

    private func decimalDigits(_ n: Int) -> Int {
        var d = 1, v = n
        while v >= 10 { v /= 10; d += 1 }
        return d
    }
}

/// A terminal in memory: keeps the screen as a `Buffer`, replays scripted input and counts the
/// bytes a real terminal would have received. For tests and benchmarks.
public final class MemoryBackend: TerminalBackend {
    public private(set) var screen: Buffer
    public let colorMode: ColorMode
    public let supportsUnicode: Bool
    /// Input events still to be delivered, first first.
    public var events: [InputEvent]
    /// When true, `pollEvent` sleeps for its timeout if no event is queued (like a terminal);
    /// when false it returns at once.
    public var waitsForTimeout: Bool
    public private(set) var counter: OutputByteCounter
    /// Frames shown (`flush` calls).
    public private(set) var flushes = 0
    /// Cells written since the start.
    public private(set) var cellsWritten = 0

    public init(size: TerminalSize, colorMode: ColorMode = .truecolor, supportsUnicode: Bool = true,
                events: [InputEvent] = [], waitsForTimeout: Bool = false) {
        screen = Buffer(width: size.width, height: size.height)
        self.colorMode = colorMode
        self.supportsUnicode = supportsUnicode
        self.events = events
        self.waitsForTimeout = waitsForTimeout
        counter = OutputByteCounter(colorMode: colorMode)
    }

    public var size: TerminalSize { TerminalSize(width: screen.width, height: screen.height) }

    /// Bytes a terminal would have received so far.
    public var bytesWritten: Int { counter.bytes }

    public func draw(_ changes: [CellChange]) {
        for c in changes { screen.set(x: c.x, y: c.y, cell: c.cell) }
        cellsWritten += changes.count
        counter.count(changes)
    }

    public func invalidate() {}

    public func flush() { flushes += 1 }

    /// Changes the screen size (as a terminal resize would) and queues the resize event.
    public func resize(to size: TerminalSize) {
        screen.resize(width: size.width, height: size.height)
        events.append(.resize(size))
    }

    /// Events released only once `flushes` reaches their frame count (scripted sessions).
    private var scheduled: [(frames: Int, event: InputEvent)] = []

    /// Queues `event` to arrive after `frames` frames have been shown.
    public func schedule(_ event: InputEvent, afterFrames frames: Int) {
        scheduled.append((frames, event))
    }

    public func pollEvent(timeoutMilliseconds: Int) -> InputEvent? {
        if let i = scheduled.firstIndex(where: { $0.frames <= flushes }) {
            events.append(scheduled.remove(at: i).event)
        }
        if !events.isEmpty {
            let e = events.removeFirst()
            if case .resize(let s) = e, s != size { screen.resize(width: s.width, height: s.height) }
            return e
        }
        if waitsForTimeout && timeoutMilliseconds > 0 {
            var ts = timespec(tv_sec: timeoutMilliseconds / 1000, tv_nsec: (timeoutMilliseconds % 1000) * 1_000_000)
            nanosleep(&ts, nil)
        }
        return nil
    }

    /// The screen as plain text (trailing spaces trimmed).
    public var text: String { screen.plainText }
}
