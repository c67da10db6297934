import Foundation
import Testing

extension DashboardEndToEndTests {
    /// Rewinding, forking, saving and resuming, through the real binary: `b` goes back one
    /// step at a time, `r` after a rewind forks (rule switched at the earlier step), `:save`
    /// writes a checkpoint, and both `synaptop --resume` and `synaptop run --resume` replay it.
    @Test func rewindForkSaveAndResume() throws {
        let bin = try Self.binary()
        let tmux = try Tmux()
        defer { tmux.kill() }
        let dir = NSTemporaryDirectory() + "synaptop-timetravel-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wrapper = dir + "/tt.sh"
        let script = """
            cd '\(dir)'
            export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color SYNAPTOP_SCENES='\(Self.root)/scenes'
            '\(bin)' oja --paused --rewind-mib 64 --record lesson.cast
            echo "EXIT=$?"
            read go
            '\(bin)' --resume s.ckpt --paused
            echo "RESUMED-EXIT=$?"
            sleep 600
            """
        try script.write(toFile: wrapper, atomically: true, encoding: .utf8)
        try tmux("-u", "new-session", "-d", "-x", "120", "-y", "40", "-s", "main", "sh '\(wrapper)'")
        var screen = try tmux.waitFor("the first frame") { s in Self.status(s).hasPrefix("oja") && s.contains("? help") }

        for k in 1...5 {
            try tmux.keys("n")
            screen = try tmux.waitFor("step \(k)") { Self.step($0) == k }
        }
        // b rewinds one step at a time; the status bar says how far back one can go.
        try tmux.keys("b")
        screen = try tmux.waitFor("step 4 after b") { Self.step($0) == 4 }
        #expect(Self.status(screen).contains("⟲ 4 steps"), "status: \(Self.status(screen))")
        try tmux.keys("b")
        screen = try tmux.waitFor("step 3 after b") { Self.step($0) == 3 }
        // n goes forward again on the same timeline.
        try tmux.keys("n")
        screen = try tmux.waitFor("step 4 after n") { Self.step($0) == 4 }
        try tmux.keys("-l", "bb")
        screen = try tmux.waitFor("step 2 after bb") { Self.step($0) == 2 }

        // A rule switch after the rewind forks the history at step 2.
        try tmux.keys("r")
        screen = try tmux.waitFor("rule hebb at step 2") { Self.status($0).contains("rule hebb") && Self.step($0) == 2 }
        for k in 3...6 {
            try tmux.keys("n")
            screen = try tmux.waitFor("step \(k) on the fork") { Self.step($0) == k }
        }
        // The timeline: left goes back one step, :goto jumps, esc closes it.
        try tmux.keys("T")
        screen = try tmux.waitFor("the timeline") { $0.contains("T close") }
        try tmux.keys("Left")
        screen = try tmux.waitFor("step 5 on the timeline") { Self.step($0) == 5 }
        try tmux.keys("-l", ":goto 6")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("step 6 after :goto") { Self.step($0) == 6 }
        try tmux.keys("Escape")
        screen = try tmux.waitFor("the key bar back") { !$0.contains("T close") && $0.contains("? help") }
        try tmux.keys("-l", ":save s.ckpt")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the checkpoint") { Self.status($0).contains("saved s.ckpt at step 6") }
        try tmux.keys("q")
        screen = try tmux.waitFor("the exit code") { $0.contains("EXIT=") }
        #expect(screen.contains("EXIT=0"))
        // The recording of that session replays to its last frame.
        let replay = try Self.run(bin, ["replay", dir + "/lesson.cast", "--at", "end"])
        #expect(replay.status == 0, "stderr: \(replay.err)")
        #expect(replay.out.contains("oja") && replay.out.contains("step 6"), "replay: \(replay.out)")

        // The dashboard resumes it: same step, same rule.
        try tmux.keys("Enter")
        screen = try tmux.waitFor("the resumed dashboard") { s in
            Self.status(s).hasPrefix("oja") && Self.step(s) == 6 && Self.status(s).contains("rule hebb")
        }
        try tmux.keys("q")
        screen = try tmux.waitFor("the resumed exit code") { $0.contains("RESUMED-EXIT=") }
        #expect(screen.contains("RESUMED-EXIT=0"))

        // Headless: run --resume goes on from step 6; a damaged file is refused with one line.
        let r = try Self.run(bin, ["run", "--resume", dir + "/s.ckpt", "--steps", "50", "--quiet"])
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.out.contains("oja: 50 steps") && r.out.contains("rule hebb"), "stdout: \(r.out)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/s.ckpt"))
        bytes[bytes.count / 2] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: dir + "/bad.ckpt"))
        let bad = try Self.run(bin, ["run", "--resume", dir + "/bad.ckpt", "--quiet"])
        #expect(bad.status == 1)
        #expect(bad.err.contains("bad.ckpt: corrupted checkpoint") && bad.err.split(separator: "\n").count == 1, "stderr: \(bad.err)")
    }
}
