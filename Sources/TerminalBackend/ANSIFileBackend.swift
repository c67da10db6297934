#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TUICore

/// A terminal whose frames go to a file descriptor (a pty, a file, `/dev/null`) as the ANSI
/// bytes `NcursesTerminal` writes on an ANSI terminal (the same `ANSIEncoder`, one `write(2)`
/// per frame), and whose input never comes: `pollEvent` sleeps for its timeout, as a terminal
/// with no key pressed does.
///
/// For `synaptop bench dashboard`: the frame path measured through it is the real one (build,
/// diff, encode, write system call) without needing a TTY.
public final class ANSIFileBackend: TerminalBackend {
    public let size: TerminalSize
    public let colorMode: ColorMode
    public let supportsUnicode = true
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var encoder = ANSIEncoder()
    /// Bytes written so far.
    public private(set) var bytesWritten = 0
    /// Frames written (`flush` calls).
    public private(set) var flushes = 0

    /// Writes to `path` (created or truncated); nil when it cannot be opened.
    public init?(path: String = "/dev/null", size: TerminalSize, colorMode: ColorMode = .truecolor) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return nil }
        self.fd = fd
        ownsDescriptor = true
        self.size = size
        self.colorMode = colorMode
    }

    deinit {
        if ownsDescriptor { _ = close(fd) }
    }

    public func draw(_ changes: [CellChange]) {
        encoder.encode(changes)
    }

    public func invalidate() {
        encoder.discard()
        encoder.reset()
    }

    public func flush() {
        encoder.finishFrame()
        let n = encoder.bytes.withUnsafeBufferPointer { p -> Int in
            guard let base = p.baseAddress, p.count > 0 else { return 0 }
            return write(fd, base, p.count)
        }
        bytesWritten += max(0, n)
        flushes += 1
        encoder.discard()
    }

    public func pollEvent(timeoutMilliseconds: Int) -> InputEvent? {
        if timeoutMilliseconds > 0 {
            var ts = timespec(tv_sec: timeoutMilliseconds / 1000, tv_nsec: (timeoutMilliseconds % 1000) * 1_000_000)
            nanosleep(&ts, nil)
        }
        return nil
    }
}
