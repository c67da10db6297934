import SynCore
import TerminalBackend
import TUICore

/// A terminal that records what it shows: every frame drawn through it goes on to the real
/// terminal and, as the ANSI bytes an xterm needs, into an asciicast v2 file
/// (`synaptop --record FILE.cast`), one output event per frame.
///
/// Frames are diffs, so a minute of dashboard is a few hundred KiB (README, "Recording a
/// lesson"). The file is written through a temp file and renamed by `finish()`: an interrupted
/// recording never leaves half a cast under the name asked for. A write error stops the
/// recording (never the dashboard); `finish()` reports it.
public final class RecordingBackend: TerminalBackend {
    public let base: TerminalBackend
    private let file: FileIO.AtomicFile
    private let now: () -> Double
    private var encoder = ANSIEncoder()
    private var lastSize: TerminalSize
    private var clearFirst = true
    private var failure: FileIOError?
    /// Output events written so far.
    public private(set) var frames = 0

    /// Starts a recording of `base` into `path` (its temp file is created at once, so a bad
    /// path fails here). `now` gives seconds since the start (a clock by default; tests pass
    /// their own).
    public init(base: TerminalBackend, path: String, title: String?, term: String?, unixTime: Int,
                now: (() -> Double)? = nil) throws(FileIOError) {
        self.base = base
        _ = FileIO.removeStaleTemps(for: path)
        file = try FileIO.AtomicFile(path)
        lastSize = base.size
        if let now {
            self.now = now
        } else {
            let clock = ContinuousClock()
            let start = clock.now
            self.now = {
                let d = clock.now - start
                return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            }
        }
        let header = Asciicast.Header(width: max(1, lastSize.width), height: max(1, lastSize.height), timestamp: unixTime,
                                      title: title, term: term)
        write(header.line)
    }

    public var size: TerminalSize { base.size }
    public var colorMode: ColorMode { base.colorMode }
    public var supportsUnicode: Bool { base.supportsUnicode }

    public func draw(_ changes: [CellChange]) {
        base.draw(changes)
        encoder.encode(changes)
    }

    public func invalidate() {
        base.invalidate()
        encoder.discard()
        encoder.reset()
        clearFirst = true
    }

    public func flush() {
        base.flush()
        let t = now()
        let size = base.size
        if size != lastSize {
            lastSize = size
            write(Asciicast.Event(time: t, kind: .resize, data: size.description).line)
        }
        encoder.finishFrame()
        guard !encoder.bytes.isEmpty else { return }
        var text = clearFirst ? "\u{1B}[?25l\u{1B}[H\u{1B}[2J" : ""
        clearFirst = false
        text += String(decoding: encoder.bytes, as: UTF8.self)
        encoder.discard()
        write(Asciicast.Event(time: t, kind: .output, data: text).line)
        frames += 1
    }

    public func pollEvent(timeoutMilliseconds: Int) -> InputEvent? {
        base.pollEvent(timeoutMilliseconds: timeoutMilliseconds)
    }

    private func write(_ line: String) {
        guard failure == nil else { return }
        do throws(FileIOError) {
            try file.write(line.utf8)
            try file.write(CollectionOfOne(UInt8(ascii: "\n")))
        } catch {
            failure = error
            file.abandon()
        }
    }

    /// Ends the recording: the cast appears under its name. Throws the first write error (the
    /// temp file is then removed).
    public func finish() throws(FileIOError) {
        if let failure { throw failure }
        try file.commit()
    }

    /// Ends the recording without keeping it.
    public func abandon() {
        file.abandon()
    }
}
