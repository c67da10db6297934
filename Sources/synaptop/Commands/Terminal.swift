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
    var bytes = Array(text.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + off, $0.count - off) }
        if n <= 0 { break }
        off += n
    }
}

/// True when stderr is a terminal.
var stderrIsTTY: Bool { isatty(2) == 1 }
