#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to stderr (fd 2, unbuffered).
func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    writeStderr(line)
}

/// Writes text to stderr without a newline (progress bars).
func writeStderr(_ text: String) {
    let bytes = Array(text.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes.withUnsafeBytes { raw in
            raw.baseAddress.map { write(2, $0 + off, raw.count - off) } ?? 0
        }
        if n < 0 && errno == EINTR { continue }  // a signal (e.g. Ctrl-C during `run`) is not an error
        if n <= 0 { break }
        off += n
    }
}

/// True when stderr is a terminal.
var stderrIsTTY: Bool { isatty(2) == 1 }
