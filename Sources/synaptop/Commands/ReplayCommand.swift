import ArgumentParser
import SynApp
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `synaptop replay FILE.cast`: plays a recording made with `synaptop --record FILE.cast` (or
/// any asciicast v2 file) in this terminal, or prints the frame on screen at a given time.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a recording (asciicast v2, made with `synaptop SCENE --record FILE.cast`).",
        discussion: """
        Keys while playing: space pause, + faster, - slower, q quit. `asciinema play FILE.cast`
        plays the same file. --at SECONDS prints the frame shown at that time as text instead
        (no terminal needed).
        """
    )

    @Argument(help: "The recording (.cast).")
    var file: String

    @Option(name: .long, help: "Playback speed, 0.1-100 (default 1).")
    var speed: Double = 1

    @Option(name: .long, help: ArgumentHelp("Shorten pauses longer than this many seconds, 0.1-3600.", valueName: "SECONDS"))
    var idleLimit: Double?

    @Option(name: .long, help: ArgumentHelp("Print the screen at this time (seconds from the start, or 'end') as text and exit.", valueName: "SECONDS"))
    var at: String?

    func validate() throws {
        guard speed.isFinite, (0.1...100).contains(speed) else { throw ValidationError("--speed: expected a number in [0.1, 100], got \(speed)") }
        if let idleLimit, !(idleLimit.isFinite && (0.1...3600).contains(idleLimit)) {
            throw ValidationError("--idle-limit: expected a number of seconds in [0.1, 3600], got \(idleLimit)")
        }
        if let at, at != "end", Double(at).map({ !$0.isFinite || $0 < 0 }) ?? true {
            throw ValidationError("--at: expected a time in seconds >= 0 or 'end', got \(at)")
        }
    }

    func run() throws {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(file, limit: 1 << 30) } catch { throw CLIError(error.message) }
        let cast: (header: Asciicast.Header, events: [Asciicast.Event])
        do { cast = try Asciicast.parse(bytes, path: file) } catch { throw CLIError(error.description) }
        if let at {
            let limit = at == "end" ? Double.infinity : (Double(at) ?? 0)
            var screen = CastScreen(width: cast.header.width, height: cast.header.height)
            for e in cast.events where e.time <= limit { screen.apply(e) }
            print(screen.plainText)
            return
        }
        play(cast.events)
    }

    /// Writes the output events at their times (scaled by --speed, pauses capped by
    /// --idle-limit), reading keys from a terminal on stdin.
    private func play(_ events: [Asciicast.Event]) {
        installStopHandlers()
        let keys = RawKeys()
        defer {
            keys.restore()
            writeStdout("\u{1B}[0m\u{1B}[?25h\n")
        }
        var rate = speed
        var clock = 0.0  // playback time in recording seconds
        var previous = 0.0
        for e in events {
            var gap = e.time - previous
            previous = e.time
            if let idleLimit { gap = min(gap, idleLimit) }
            let target = clock + gap
            // Wait for the event, a slice at a time so keys act at once.
            while clock < target {
                if stopRequested.load(ordering: .relaxed) { return }
                let slice = min(0.05, (target - clock) / rate)
                switch keys.wait(seconds: slice) {
                case .quit: return
                case .pause:
                    while true {
                        if stopRequested.load(ordering: .relaxed) { return }
                        let k = keys.wait(seconds: 0.1)
                        if k == .quit { return }
                        if k == .pause { break }
                    }
                case .faster: rate = min(100, rate * 2)
                case .slower: rate = max(0.1, rate / 2)
                case nil: clock += slice * rate
                }
            }
            if e.kind == .output { writeStdout(e.data) }
        }
    }
}

/// Keys from a terminal on stdin, unbuffered and unechoed while playing (nothing when stdin is
/// not a terminal: then `wait` just sleeps).
private final class RawKeys {
    enum Action { case quit, pause, faster, slower }
    private var saved = termios()
    private let active: Bool

    init() {
        guard isatty(0) == 1, tcgetattr(0, &saved) == 0 else {
            active = false
            return
        }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        active = tcsetattr(0, TCSANOW, &raw) == 0
    }

    func restore() {
        if active { tcsetattr(0, TCSANOW, &saved) }
    }

    /// Waits up to `seconds` for a key; the action it names, or nil (timeout, other key).
    func wait(seconds: Double) -> Action? {
        let ms = Int32(max(0, min(seconds, 10)) * 1000)
        guard active else {
            var ts = timespec(tv_sec: Int(ms / 1000), tv_nsec: Int(ms % 1000) * 1_000_000)
            nanosleep(&ts, nil)
            return nil
        }
        var p = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, ms) > 0 else { return nil }
        var c: UInt8 = 0
        guard read(0, &c, 1) == 1 else { return nil }
        switch c {
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3: return .quit
        case UInt8(ascii: " "): return .pause
        case UInt8(ascii: "+"), UInt8(ascii: "="): return .faster
        case UInt8(ascii: "-"), UInt8(ascii: "_"): return .slower
        default: return nil
        }
    }
}

/// Writes text to stdout (fd 1) unbuffered, retrying after signals.
func writeStdout(_ text: String) {
    let bytes = Array(text.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes.withUnsafeBytes { raw in
            raw.baseAddress.map { write(1, $0 + off, raw.count - off) } ?? 0
        }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        off += n
    }
}
