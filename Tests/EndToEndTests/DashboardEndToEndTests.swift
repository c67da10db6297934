import Foundation
import Testing

/// Drives the real `synaptop` binary: the dashboard inside a detached tmux session (keys in,
/// `capture-pane` text out, polling with deadlines), and the non-interactive paths directly.
@Suite(.serialized) struct DashboardEndToEndTests {
    /// The package root, from this file's path.
    static let root: String = {
        let path = #filePath
        guard let r = path.range(of: "/Tests/EndToEndTests/") else { return FileManager.default.currentDirectoryPath }
        return String(path[..<r.lowerBound])
    }()

    /// The binary built with the tests: next to the test bundle (same build directory), else
    /// `.build/debug` or `.build/release` of the package.
    static func binary() throws -> String {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["SYNAPTOP_BINARY"] { candidates.append(env) }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        for _ in 0..<4 {
            candidates.append(dir + "/synaptop")
            dir = (dir as NSString).deletingLastPathComponent
        }
        candidates += [root + "/.build/debug/synaptop", root + "/.build/release/synaptop"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw E2EError("synaptop binary not found (tried \(candidates.joined(separator: ", "))); run `swift build` first")
        }
        return found
    }

    struct E2EError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs a program to completion, capturing stdout and stderr through temporary files (not
    /// pipes: a daemon it starts, like the tmux server, must not hold our read end open).
    @discardableResult
    static func run(_ program: String, _ args: [String]) throws -> Result {
        let base = NSTemporaryDirectory() + "synaptop-e2e-\(getpid())-\(UUID().uuidString)"
        let outPath = base + ".out", errPath = base + ".err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        // posix_spawn + waitpid: the child is reaped directly, whatever it forks.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_TRUNC, 0o600)
        // Test threads block most signals and a spawned child inherits that mask: reset it (and
        // the dispositions), or the tmux server and the dashboard could not be stopped by signals.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGCHLD] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([program] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        // Without $TMUX, so a test run inside tmux still gets its own private server.
        let envp = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for e in envp { free(e) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, &attr, argv, envp)
        guard rc == 0 else { throw E2EError("could not start \(program): error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let o = FileManager.default.contents(atPath: outPath) ?? Data()
        let e = FileManager.default.contents(atPath: errPath) ?? Data()
        return Result(status: code, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    static func which(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A tmux server on a private socket, killed at the end.
    final class Tmux {
        let tmux: String
        let socket = "synaptop-test-\(getpid())"
        init() throws {
            guard let t = DashboardEndToEndTests.which("tmux") else {
                throw E2EError("tmux is not installed: the end-to-end dashboard test needs it (apt-get install tmux)")
            }
            tmux = t
        }
        @discardableResult
        func callAsFunction(_ args: String...) throws -> Result {
            try DashboardEndToEndTests.run(tmux, ["-L", socket] + args)
        }
        func capture() -> String { (try? self("capture-pane", "-p", "-t", "main"))?.out ?? "" }
        /// Polls the pane until `predicate` holds or `timeout` seconds pass; returns the last capture.
        func waitFor(_ what: String, timeout: Double = 30, _ predicate: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var screen = capture()
            while !predicate(screen) {
                guard Date() < deadline else {
                    throw E2EError("timed out after \(timeout) s waiting for \(what); screen was:\n\(screen)")
                }
                Thread.sleep(forTimeInterval: 0.05)
                screen = capture()
            }
            return screen
        }
        func keys(_ k: String...) throws { _ = try self(["send-keys", "-t", "main"] + k) }
        func callAsFunction(_ args: [String]) throws -> Result { try DashboardEndToEndTests.run(tmux, ["-L", socket] + args) }
        func kill() {
            _ = try? self(["kill-server"])
            unlink("/tmp/tmux-\(getuid())/\(socket)")
        }
    }

    /// The status line (first row) of a capture.
    static func status(_ screen: String) -> String { String(screen.split(separator: "\n", omittingEmptySubsequences: false).first ?? "") }

    /// The step number in the status line.
    static func step(_ screen: String) -> Int? {
        let words = status(screen).split(separator: " ")
        guard let i = words.firstIndex(of: "step"), i + 1 < words.count else { return nil }
        return Int(words[i + 1])
    }

    @Test func dashboardInTmuxRespondsToKeysResizesAndRestoresTheTerminal() throws {
        let bin = try Self.binary()
        let tmux = try Tmux()
        defer { tmux.kill() }
        // A wrapper shell prints the exit code and the terminal modes after the dashboard ends,
        // then keeps the pane open for capture.
        let wrapper = NSTemporaryDirectory() + "synaptop-e2e-\(getpid()).sh"
        let script = """
            cd '\(Self.root)'
            export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color
            trap 'true' INT
            '\(bin)' oja
            echo "EXIT=$?"
            stty -a
            echo "END-STTY"
            read go
            '\(bin)' oja --paused
            echo "SECOND-EXIT=$?"
            stty -a
            echo "SECOND-END-STTY"
            sleep 600
            """
        try script.write(toFile: wrapper, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: wrapper) }
        try tmux("-u", "new-session", "-d", "-x", "120", "-y", "40", "-s", "main", "sh '\(wrapper)'")

        // First frame: status bar, panel titles, key bar.
        var screen = try tmux.waitFor("the first frame") { s in
            s.contains("|cos(w, PC1)|") && s.contains("about") && s.contains("q quit") && Self.status(s).hasPrefix("oja")
        }
        #expect(screen.contains("input covariance spectrum"))

        // space pauses.
        try tmux.keys("Space")
        screen = try tmux.waitFor("PAUSED after space") { Self.status($0).contains("PAUSED") }
        // The step counter settles once paused: wait until it has not changed for half a second.
        var last = Self.step(screen) ?? -1
        var since = Date()
        screen = try tmux.waitFor("a settled step count") { s in
            let now = Self.step(s) ?? -2
            if now != last {
                last = now
                since = Date()
            }
            return Self.status(s).contains("PAUSED") && Date().timeIntervalSince(since) >= 0.5
        }
        let paused = try #require(Self.step(screen))
        // n advances exactly one step.
        try tmux.keys("n")
        screen = try tmux.waitFor("step \(paused + 1) after n") { Self.step($0) == paused + 1 }
        // The teaching panel shows probe values when paused.
        #expect(screen.contains("Probed synapse"))

        // r switches the rule live.
        try tmux.keys("r")
        screen = try tmux.waitFor("rule hebb after r") { Self.status($0).contains("rule hebb") }
        try tmux.keys("R")
        screen = try tmux.waitFor("rule oja after R") { Self.status($0).contains("rule oja") }

        // oja starts at its scene speed (1000 steps/s); - slows down, + speeds back up.
        try tmux.keys("-")
        screen = try tmux.waitFor("a slower speed after -") { Self.status($0).contains("(500/s)") }
        try tmux.keys("+")
        screen = try tmux.waitFor("the scene's speed after +") { Self.status($0).contains("(1000/s)") }

        // ? opens and closes the help overlay.
        try tmux.keys("?")
        screen = try tmux.waitFor("the help overlay") { $0.contains("Keys") && $0.contains("freeze the view") }
        try tmux.keys("?")
        screen = try tmux.waitFor("the help overlay to close") { !$0.contains("freeze the view") }

        // w toggles the charts to the last 200 metric rows (oja: every 100 steps) and back.
        try tmux.keys("w")
        screen = try tmux.waitFor("the chart window after w") { $0.contains("(last 20k)") }
        try tmux.keys("w")
        screen = try tmux.waitFor("the whole run after w again") { !$0.contains("(last 20k)") }

        // Resizing keeps it alive: smaller than the minimum shows the message, 60x20 draws the
        // dashboard, and back to 120x40.
        try tmux("resize-window", "-t", "main", "-x", "50", "-y", "12")
        screen = try tmux.waitFor("the too-small message") { $0.contains("need 60x16") }
        try tmux("resize-window", "-t", "main", "-x", "60", "-y", "20")
        screen = try tmux.waitFor("the dashboard at 60x20") { s in Self.status(s).hasPrefix("oja") && !s.contains("need 60x16") }
        try tmux("resize-window", "-t", "main", "-x", "120", "-y", "40")
        screen = try tmux.waitFor("the dashboard at 120x40") { s in
            s.contains("|cos(w, PC1)|") && s.contains("q quit") && Self.status(s).count > 100
        }

        // q exits 0 and leaves the terminal in canonical mode with echo.
        try tmux.keys("q")
        screen = try tmux.waitFor("the wrapper to print the exit code and stty state") { $0.contains("EXIT=") && $0.contains("END-STTY") }
        #expect(screen.contains("EXIT=0"))
        let modes = Set(screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(modes.contains("icanon"), "stty shows -icanon: terminal not restored\n\(screen)")
        #expect(modes.contains("echo"), "stty shows -echo: terminal not restored\n\(screen)")
        #expect(!modes.contains("-icanon") && !modes.contains("-echo"))

        // Ctrl-C (SIGINT) also ends it cleanly: exit code 130, terminal restored.
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the second dashboard (started paused)") { s in
            Self.status(s).hasPrefix("oja") && Self.status(s).contains("PAUSED")
        }
        try tmux.keys("C-c")
        screen = try tmux.waitFor("the exit code after Ctrl-C") { $0.contains("SECOND-EXIT=") && $0.contains("SECOND-END-STTY") }
        #expect(screen.contains("SECOND-EXIT=130"))
        let modes2 = screen.components(separatedBy: "SECOND-EXIT=").last ?? ""
        let tokens = Set(modes2.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(tokens.contains("icanon") && tokens.contains("echo") && !tokens.contains("-icanon") && !tokens.contains("-echo"))
    }

    /// A whole lesson without quitting: the picker opens a scene, a non-first control moves,
    /// `:set` changes a live control and rebuilds with a scene key, `:rule` switches rule,
    /// `:export` and `:screenshot` write files, `:scene` opens another scene; the files parse.
    @Test func aLessonDrivenFromInsideTheDashboard() throws {
        let bin = try Self.binary()
        let tmux = try Tmux()
        defer { tmux.kill() }
        let dir = NSTemporaryDirectory() + "synaptop-lesson-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wrapper = dir + "/lesson.sh"
        let script = """
            cd '\(dir)'
            export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color SYNAPTOP_SCENES='\(Self.root)/scenes'
            '\(bin)' oja --paused
            echo "EXIT=$?"
            sleep 600
            """
        try script.write(toFile: wrapper, atomically: true, encoding: .utf8)
        try tmux("-u", "new-session", "-d", "-x", "120", "-y", "40", "-s", "main", "sh '\(wrapper)'")
        var screen = try tmux.waitFor("the first frame") { s in Self.status(s).hasPrefix("oja") && s.contains("? help") }

        // The picker: o, filter, enter opens curl-descent in place.
        try tmux.keys("o")
        screen = try tmux.waitFor("the scene picker") { $0.contains("Open a scene") && $0.contains("cuba") }
        try tmux.keys("-l", "curl")
        screen = try tmux.waitFor("the filtered picker") { $0.contains("> curl-descent") && !$0.contains("> cuba") }
        try tmux.keys("Enter")
        screen = try tmux.waitFor("curl-descent opened") { s in
            Self.status(s).hasPrefix("curl-descent") && Self.status(s).contains("opened curl-descent")
        }
        try tmux.keys("Space")
        screen = try tmux.waitFor("curl-descent paused") { Self.status($0).contains("PAUSED") }

        // The second control (flip_fraction): } selects it, ] moves it by its step (one of 50 hidden neurons, 0.02).
        try tmux.keys("-l", "}]]")
        try tmux.keys("?")
        screen = try tmux.waitFor("the help overlay") { $0.contains("this help") }
        for _ in 0..<12 { try tmux.keys("PageDown") }
        screen = try tmux.waitFor("flip_fraction moved in the help's control list") { $0.contains("flip_fraction = 0.04 in [0, 1]") }
        try tmux.keys("Escape")
        screen = try tmux.waitFor("the help closed") { !$0.contains("this help") }

        // :set on a live control, then on a scene key (rebuild with the same seed).
        try tmux.keys("-l", ":set rule.eta=0.02")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("eta set live") { Self.status($0).contains("eta = 0.02 (live)") }
        try tmux.keys("-l", ":set metrics.every=10")  // an epoch of curl-descent is 25 steps (P = 250, batch 10)
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the rebuild") { Self.status($0).contains("rebuilt with metrics.every=10") }
        // A bad value is the CLI's one-line error, in the status bar.
        try tmux.keys("-l", ":set network.nothing=1")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the error for an unknown key") { Self.status($0).contains("nothing") }

        // :rule switches the rule; let it run a little so there are rows.
        try tmux.keys("-l", ":rule backprop")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("rule backprop") { Self.status($0).contains("rule backprop") }
        try tmux.keys("-l", ":set rule.eta=0.02")  // clears the notice, and gives the status bar room
        try tmux.keys("Enter")
        try tmux.keys("N")
        screen = try tmux.waitFor("a big step") { (Self.step($0) ?? 0) > 0 }

        // :export and :screenshot write files and say so.
        try tmux.keys("-l", ":export m.csv")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the CSV export") { Self.status($0).contains("wrote m.csv") }
        try tmux.keys("-l", ":export m.jsonl")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the JSONL export") { Self.status($0).contains("wrote m.jsonl") }
        try tmux.keys("-l", ":screenshot shot.txt")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the screenshot") { Self.status($0).contains("wrote shot.txt") }

        // :scene opens another scene in place, with completion by tab.
        try tmux.keys("-l", ":scene cub")
        try tmux.keys("Tab")
        screen = try tmux.waitFor("the completed scene name") { $0.contains(":scene cuba") }
        try tmux.keys("Enter")
        screen = try tmux.waitFor("cuba opened") { Self.status($0).hasPrefix("cuba") }
        try tmux.keys("-l", ":q")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the exit code") { $0.contains("EXIT=") }
        #expect(screen.contains("EXIT=0"))

        // The files exist and parse.
        let csv = try String(contentsOfFile: dir + "/m.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first?.prefix(3) == ["step", "time", "rule"])
        #expect(rows.count >= 2)
        #expect(rows.allSatisfy { $0.count == rows[0].count })
        #expect(rows.dropFirst().allSatisfy { Int($0[0]) != nil })
        #expect(csv.contains(",backprop,"))
        let jsonl = try String(contentsOfFile: dir + "/m.jsonl", encoding: .utf8)
        let lines = jsonl.split(separator: "\n")
        #expect(lines.count == rows.count - 1)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["step"] != nil && object?["rule"] != nil)
        }
        let shot = try String(contentsOfFile: dir + "/shot.txt", encoding: .utf8)
        #expect(shot.hasPrefix("curl-descent"))
        #expect(shot.split(separator: "\n").count == 40)
        let ans = try String(contentsOfFile: dir + "/shot.ans", encoding: .utf8)
        #expect(ans.contains("\u{1B}["))
    }

    @Test func versionAndDumbTerminals() throws {
        let v = try Self.run(try Self.binary(), ["--version"])
        #expect(v.status == 0)
        #expect(v.out.split(separator: ".").count == 3)
        // TERM=dumb cannot address the cursor: a one-line error, exit 1, in a real terminal.
        let tmux = try Tmux()
        defer { tmux.kill() }
        let bin = try Self.binary()
        try tmux("new-session", "-d", "-x", "100", "-y", "10", "-s", "main",
                 "cd '\(Self.root)'; TERM=dumb '\(bin)' oja; echo EXIT=$?; sleep 600")
        let screen = try tmux.waitFor("the dumb-terminal error") { $0.contains("EXIT=") }
        #expect(screen.contains("EXIT=1"))
        #expect(screen.contains("TERM=dumb"))
    }

    /// `--colors truecolor` writes 24-bit colour codes even where terminfo knows only 256
    /// colours (tmux-256color), and `COLORTERM=truecolor` selects them under `auto`; `--colors
    /// 256` does not.
    @Test func truecolorIsWrittenWhenAskedOrAnnounced() throws {
        let bin = try Self.binary()
        for (command, wants24) in [("--colors truecolor", true), ("--colors 256", false), ("", true)] {
            let tmux = try Tmux()
            defer { tmux.kill() }
            let env = command.isEmpty ? "COLORTERM=truecolor " : "COLORTERM= "
            try tmux("-u", "new-session", "-d", "-x", "100", "-y", "30", "-s", "main",
                     "cd '\(Self.root)'; LANG=C.UTF-8 TERM=tmux-256color \(env)'\(bin)' oja --paused \(command); sleep 600")
            _ = try tmux.waitFor("the first frame (\(command))") { Self.status($0).contains("PAUSED") }
            let colored = try tmux("capture-pane", "-p", "-e", "-t", "main").out
            #expect(colored.contains("38;2;") == wants24, "\(env)\(command): 24-bit codes \(wants24 ? "missing" : "present")")
            if !wants24 { #expect(colored.contains("38;5;"), "\(command): no 256-colour codes") }
            try tmux.keys("q")
        }
    }

    @Test func withoutATerminalTheDashboardPointsToRun() throws {
        let r = try Self.run(try Self.binary(), ["oja"])
        #expect(r.status == 1)
        #expect(r.err.contains("synaptop run"))
        #expect(r.err.split(separator: "\n").count == 1, "expected one line, got:\n\(r.err)")
    }

    @Test func renderPrintsOneFrameWithoutATerminal() throws {
        let r = try Self.run(try Self.binary(), ["render", "\(Self.root)/scenes/oja.toml", "--steps", "200", "--size", "80x24"])
        #expect(r.status == 0, "stderr: \(r.err)")
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 24)
        #expect(lines.first?.hasPrefix("oja") == true)
        #expect(r.out.contains("step 200"))
        let ansi = try Self.run(try Self.binary(), ["render", "\(Self.root)/scenes/oja.toml", "--size", "80x24", "--ansi"])
        #expect(ansi.status == 0)
        #expect(ansi.out.contains("\u{1B}[0;"))
    }
}
