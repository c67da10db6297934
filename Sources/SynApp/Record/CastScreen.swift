import TUICore

/// The screen a recording shows: replays the terminal output of an asciicast into a text grid.
///
/// Understands what synaptop writes (cursor moves `ESC[r;cH`, `ESC[2J`, `ESC[K`, SGR colours,
/// which it drops, UTF-8 text, `\r`, `\n`) and skips any other escape sequence, so
/// `synaptop replay --at` can print the frame on screen at a given time, and tests can check
/// that a recording shows what the dashboard drew.
public struct CastScreen: Sendable {
    public private(set) var buffer: Buffer
    private var x = 0, y = 0
    /// An escape sequence cut between two events: kept until the next one completes it.
    private var pending: [Unicode.Scalar] = []

    public init(width: Int, height: Int) {
        buffer = Buffer(width: width, height: height)
    }

    /// Plays one event: output is interpreted, a resize resizes, input and markers do nothing.
    public mutating func apply(_ event: Asciicast.Event) {
        switch event.kind {
        case .output: feed(event.data)
        case .resize:
            if let size = Self.size(event.data) {
                buffer.resize(width: size.width, height: size.height)
                x = min(x, max(0, size.width - 1))
                y = min(y, max(0, size.height - 1))
            }
        case .input, .marker: break
        }
    }

    /// "120x40" as a size, nil when malformed.
    static func size(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0, w <= 10_000, h <= 10_000 else {
            return nil
        }
        return (w, h)
    }

    /// Interprets terminal output.
    public mutating func feed(_ text: String) {
        var scalars = pending
        pending = []
        scalars.append(contentsOf: text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let u = scalars[i]
            switch u {
            case "\u{1B}":
                guard i + 1 < scalars.count else {
                    pending = Array(scalars[i...])
                    return
                }
                if scalars[i + 1] == "[" {
                    // CSI: parameters and intermediates up to a final byte in @...~.
                    var j = i + 2
                    while j < scalars.count, !(0x40...0x7E).contains(scalars[j].value) { j += 1 }
                    guard j < scalars.count else {
                        pending = Array(scalars[i...])
                        return
                    }
                    csi(params: String(String.UnicodeScalarView(scalars[(i + 2)..<j])), final: scalars[j])
                    i = j + 1
                } else {
                    i += 2  // a two-byte escape (ESC 7, ESC =, ...): nothing to draw
                }
            case "\r":
                x = 0
                i += 1
            case "\n":
                y = min(y + 1, buffer.height - 1)
                i += 1
            case _ where u.value < 0x20 || u.value == 0x7F:
                i += 1
            default:
                if x >= buffer.width {  // autowrap
                    x = 0
                    y = min(y + 1, buffer.height - 1)
                }
                buffer.set(x: x, y: y, symbol: Character(u), style: .plain)
                x += 1
                i += 1
            }
        }
    }

    private mutating func csi(params: String, final: Unicode.Scalar) {
        if params.hasPrefix("?") { return }  // private modes (cursor, mouse, alternate screen)
        let numbers = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        switch final {
        case "H", "f":
            let row = (numbers.first ?? nil) ?? 1
            let col = (numbers.count > 1 ? numbers[1] : nil) ?? 1
            y = max(0, min(row - 1, buffer.height - 1))
            x = max(0, min(col - 1, buffer.width - 1))
        case "J":
            if (numbers.first ?? nil) == 2 || (numbers.first ?? nil) == 3 { buffer.clear() }
        case "K":
            for cx in x..<buffer.width { buffer.set(x: cx, y: y, symbol: " ", style: .plain) }
        default:
            break  // SGR (colours) and anything else: no text
        }
    }

    /// The rows joined by newlines, trailing spaces trimmed (as `Buffer.plainText`).
    public var plainText: String { buffer.plainText }
}
