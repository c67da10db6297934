#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import Synchronization
import TUICore

/// Which colours to use: detect from the terminal (`auto`) or force a mode.
public enum ColorRequest: String, Sendable, CaseIterable {
    case auto, truecolor
    case palette256 = "256"
    case palette16 = "16"
    case none
}

/// Why the terminal could not be opened.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Process-wide terminal state the signal and exit handlers read (they cannot capture context).
enum TerminalGlobals {
    /// True while ncurses owns the screen (between initscr and endwin).
    static let active = Atomic<Bool>(false)
    /// The last SIGINT/SIGTERM/SIGHUP received (0 = none).
    static let pendingSignal = Atomic<Int32>(0)
}

/// Restores the terminal if ncurses still owns it. Safe to call more than once.
private func restoreTerminal() {
    if TerminalGlobals.active.exchange(false, ordering: .acquiringAndReleasing) {
        endwin()
        fflush(nil)  // every output stream
    }
}

/// The full-screen ncurses session: the only code that talks to ncurses. It owns initscr/endwin
/// (one per process), writes changed cells as wide characters with extended colour pairs, and
/// turns keys, mouse clicks and KEY_RESIZE into `InputEvent`s.
///
/// SIGINT, SIGTERM and SIGHUP are caught: the first one is recorded (`pendingSignal`) so the
/// app loop ends cleanly within a frame and restores the terminal; a second one restores the
/// terminal at once and exits. Crash signals (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE,
/// which is how Swift traps end) and `exit()` (atexit) also restore it before the process dies.
public final class NcursesTerminal: TerminalBackend {
    public let colorMode: ColorMode
    public let supportsUnicode: Bool
    /// Colour pairs already allocated, by (foreground, background) colour numbers.
    private var pairs: [Int64: Int32] = [:]
    private let directColor: Bool
    private let has8ColorsOnly: Bool
    private var scalarBuffer = [wchar_t](repeating: 0, count: 6)
    /// Set when frames are written as ANSI sequences directly (see `init`); nil: through ncurses.
    private var encoder: ANSIEncoder?

    /// True when frames bypass ncurses' screen and are written as ANSI escape sequences.
    public var writesANSIDirectly: Bool { encoder != nil }
    private var closed = false
    /// The ncurses screen and the streams it writes to and reads from.
    private let screen: OpaquePointer
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>

    /// True when stdin and stdout are terminals (the dashboard needs both).
    public static var isInteractive: Bool { isatty(0) != 0 && isatty(1) != 0 }

    /// The signal that asked the app to end (SIGINT, SIGTERM or SIGHUP), if any.
    public static var pendingSignal: Int32? {
        let s = TerminalGlobals.pendingSignal.load(ordering: .acquiring)
        return s == 0 ? nil : s
    }

    /// Takes over the terminal. Fails when stdin/stdout are not TTYs or ncurses cannot start.
    public init(colors: ColorRequest = .auto, mouse: Bool = true) throws(TerminalError) {
        guard Self.isInteractive else {
            throw TerminalError(message: "the dashboard needs an interactive terminal (stdin and stdout must be a TTY)")
        }
        let term = Self.env("TERM") ?? ""
        if term.isEmpty || term == "dumb" || term == "unknown" {
            throw TerminalError(message: "cannot draw the dashboard on TERM=\(term.isEmpty ? "(unset)" : term) (no cursor addressing); use a terminal emulator (e.g. TERM=xterm-256color), or `synaptop run`")
        }
        supportsUnicode = Self.setUTF8Locale()
        Self.installHandlers()
        set_escdelay(25)
        // newterm (not initscr, which exits the process) so an unknown TERM is a clean error.
        guard let output = fdopen(dup(1), "w"), let input = fdopen(dup(0), "r") else {
            throw TerminalError(message: "could not open the terminal's streams")
        }
        guard let screen = newterm(nil, output, input) else {
            fclose(output)
            fclose(input)
            throw TerminalError(message: "ncurses cannot drive this terminal (TERM=\(Self.env("TERM") ?? "unset")); try TERM=xterm-256color, or `synaptop run`")
        }
        self.screen = screen
        self.output = output
        self.input = input
        TerminalGlobals.active.store(true, ordering: .releasing)
        cbreak()
        noecho()
        nonl()
        intrflush(syn_stdscr(), false)
        keypad(syn_stdscr(), true)
        leaveok(syn_stdscr(), true)
        curs_set(0)
        // Frames go out as ANSI escape sequences written by us when the terminal is addressed
        // the ANSI way, shows UTF-8 and is not an 8-colour one (bright colours as bold need
        // ncurses); otherwise through ncurses' screen.
        let ansiCursor = syn_cup_is_ansi() != 0
        var n = 0
        if has_colors() && colors != .none {
            start_color()
            use_default_colors()
            n = Int(syn_colors())
        }
        let writesANSI = ansiCursor && supportsUnicode && (n == 0 || n >= 16)
        let mode = Self.colorMode(request: colors, terminfoColors: n, writesANSI: writesANSI,
                                  colorterm: Self.env("COLORTERM"))
        let direct = n >= 0x1000000
        let only8 = n > 0 && n < 16
        colorMode = mode
        directColor = direct
        has8ColorsOnly = only8
        encoder = writesANSI ? ANSIEncoder() : nil
        if mouse {
            mousemask(syn_click_events(), nil)
            mouseinterval(0)
        }
        erase()
        // Let ncurses enter the alternate screen and clear it now, so it has nothing left to
        // refresh later over frames written directly.
        wnoutrefresh(syn_stdscr())
        doupdate()
        fflush(output)
    }

    /// The colour mode for a request, given what terminfo says (`colors`, 0 without colour),
    /// whether frames are written as ANSI sequences by synaptop (then 24-bit colour is
    /// possible whatever terminfo says) and `$COLORTERM`.
    ///
    /// `truecolor` gives 24-bit colour when synaptop writes the frames, or when terminfo
    /// describes a direct-colour terminal; otherwise the nearest 256-colour entries. `auto`
    /// picks 24-bit colour when `COLORTERM` is `truecolor` or `24bit` (the convention btop,
    /// bottom and most terminals follow) and synaptop writes the frames; else what terminfo says.
    public static func colorMode(request: ColorRequest, terminfoColors n: Int, writesANSI: Bool,
                                 colorterm: String?) -> ColorMode {
        let detected: ColorMode = n >= 0x1000000 ? .truecolor : n >= 256 ? .palette256 : n >= 8 ? .palette16 : .monochrome
        let directCapable = writesANSI || n >= 0x1000000
        let colortermSays24 = ["truecolor", "24bit"].contains((colorterm ?? "").lowercased())
        switch request {
        case .none: return .monochrome
        case .auto:
            if detected == .monochrome { return .monochrome }
            return colortermSays24 && directCapable && n >= 256 ? .truecolor : detected
        case .truecolor:
            if detected == .monochrome && !writesANSI { return .monochrome }
            return directCapable ? .truecolor : (n >= 256 ? .palette256 : detected)
        case .palette256: return n >= 256 || (writesANSI && n > 0) ? .palette256 : detected
        case .palette16: return detected == .monochrome ? .monochrome : .palette16
        }
    }

    deinit { close() }

    /// Gives the terminal back (endwin). Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        if TerminalGlobals.active.load(ordering: .acquiring) {
            mousemask(0, nil)
            curs_set(1)
        }
        restoreTerminal()
        delscreen(screen)
        fclose(output)
        fclose(input)
    }

    public var size: TerminalSize {
        TerminalSize(width: Int(syn_getmaxx(syn_stdscr())), height: Int(syn_getmaxy(syn_stdscr())))
    }

    public func draw(_ changes: [CellChange]) {
        if encoder != nil {
            encoder?.encode(changes)
            return
        }
        for c in changes {
            let cell = c.cell
            var n = 0
            for u in cell.symbol.unicodeScalars where n < 5 {
                scalarBuffer[n] = wchar_t(bitPattern: u.value)
                n += 1
            }
            if n == 0 || (!supportsUnicode && !cell.symbol.isASCII) {
                scalarBuffer[0] = wchar_t(supportsUnicode ? 0x20 : (cell.symbol.isASCII ? Int32(cell.symbol.asciiValue ?? 32) : 0x3F))
                n = 1
            }
            scalarBuffer[n] = 0
            var attrs = attr_t(0)
            if cell.attributes.contains(.bold) { attrs |= syn_a_bold() }
            if cell.attributes.contains(.dim) { attrs |= syn_a_dim() }
            if cell.attributes.contains(.reverse) { attrs |= syn_a_reverse() }
            if cell.attributes.contains(.underline) { attrs |= syn_a_underline() }
            var pair: Int32 = 0
            if colorMode != .monochrome {
                let (fg, fgBright) = colorNumber(cell.fg)
                let (bg, _) = colorNumber(cell.bg)
                if fgBright { attrs |= syn_a_bold() }
                pair = pairNumber(fg: fg, bg: bg)
            }
            _ = scalarBuffer.withUnsafeBufferPointer { p in
                syn_put_cell(Int32(c.y), Int32(c.x), p.baseAddress, attrs, pair)
            }
        }
    }

    public func invalidate() {
        erase()
        clearok(syn_stdscr(), true)
        if encoder != nil {
            // Clear the screen now through ncurses (it knows the new size), then forget the
            // cursor and style: the next frame is written in full.
            wnoutrefresh(syn_stdscr())
            doupdate()
            fflush(output)
            encoder?.discard()
            encoder?.reset()
        }
    }

    public func flush() {
        if encoder != nil {
            encoder?.finishFrame()
            if let bytes = encoder?.bytes, !bytes.isEmpty {
                _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, output) }
                fflush(output)
            }
            encoder?.discard()
            return
        }
        wnoutrefresh(syn_stdscr())
        doupdate()
    }

    public func pollEvent(timeoutMilliseconds: Int) -> InputEvent? {
        wtimeout(syn_stdscr(), Int32(max(0, min(timeoutMilliseconds, 60_000))))
        var ch: wint_t = 0
        let r = wget_wch(syn_stdscr(), &ch)
        if r == syn_err() { return nil }
        if r == syn_key_code_yes() {
            let code = Int32(bitPattern: UInt32(ch))
            switch code {
            case syn_key_resize(): return .resize(size)
            case syn_key_mouse():
                var x: Int32 = 0, y: Int32 = 0
                switch syn_mouse_event(&x, &y) {
                case 1: return .mouse(x: Int(x), y: Int(y))
                case 4: return .wheel(x: Int(x), y: Int(y), delta: -1)
                case 5: return .wheel(x: Int(x), y: Int(y), delta: 1)
                default: return nil
                }
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_BTAB: return .key(.backTab)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_F0 + 1...KEY_F0 + 12: return .key(.function(Int(code - KEY_F0)))
            default: return .key(.other(Int(code)))
            }
        }
        switch UInt32(ch) {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case let v:
            guard let scalar = Unicode.Scalar(v) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    // MARK: - Colours

    /// The ncurses colour number for `color` in this terminal's mode (-1 = default), and whether
    /// a bright ANSI colour had to be shown as bold on an 8-colour terminal.
    private func colorNumber(_ color: Color) -> (Int32, Bool) {
        switch color.quantized(to: colorMode) {
        case .default: return (-1, false)
        case .indexed(let i):
            if directColor {
                // Direct-colour terminals keep 0-7 as the ANSI palette; others are RGB values.
                if i < 8 { return (Int32(i), false) }
                let v = Palette.rgb(ofIndex: i)
                return (Int32(v.r) << 16 | Int32(v.g) << 8 | Int32(v.b), false)
            }
            if has8ColorsOnly && i >= 8 && i < 16 { return (Int32(i) - 8, true) }
            return (Int32(i), false)
        case let .rgb(r, g, b):
            return (Int32(r) << 16 | Int32(g) << 8 | Int32(b), false)
        }
    }

    private func pairNumber(fg: Int32, bg: Int32) -> Int32 {
        if fg == -1 && bg == -1 { return 0 }
        let key = Int64(fg) << 32 | Int64(UInt32(bitPattern: bg))
        if let p = pairs[key] { return p }
        let p = alloc_pair(fg, bg)
        let pair = p < 0 ? 0 : p
        if pairs.count > 4096 { pairs.removeAll(keepingCapacity: true) }
        pairs[key] = pair
        return pair
    }

    // MARK: - Process setup

    /// Selects the user's locale, falling back to C.UTF-8 when it is not UTF-8 (ncurses draws
    /// braille and block characters blank otherwise). Returns whether UTF-8 is active.
    static func setUTF8Locale() -> Bool {
        setlocale(LC_ALL, "")
        if isUTF8Codeset() { return true }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
            if isUTF8Codeset() { return true }
        }
        return false
    }

    private static func isUTF8Codeset() -> Bool {
        guard let cs = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: cs).lowercased().filter { $0 != "-" }
        return name == "utf8"
    }

    public static func env(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    private static let handlersInstalled = Atomic<Bool>(false)

    private static func installHandlers() {
        guard !handlersInstalled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        atexit { restoreTerminal() }
        let stop: @convention(c) (Int32) -> Void = { sig in
            // First signal: ask the app loop to end (it restores the terminal within a frame).
            // Second: restore now and leave.
            if TerminalGlobals.pendingSignal.exchange(sig, ordering: .acquiringAndReleasing) != 0 {
                restoreTerminal()
                _exit(128 + sig)
            }
        }
        for s in [SIGINT, SIGTERM, SIGHUP] { signal(s, stop) }
        // A parent may have left these blocked (the mask is inherited): unblock them here.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for s in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, s) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        let crash: @convention(c) (Int32) -> Void = { sig in
            restoreTerminal()
            signal(sig, SIG_DFL)
            raise(sig)
        }
        for s in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] { signal(s, crash) }
    }
}
