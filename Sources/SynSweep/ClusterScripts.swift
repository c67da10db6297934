import Foundation
import SynCore

/// Batch scripts for running a sweep elsewhere: a Slurm job array and a GNU parallel job list.
/// Every task runs the same binary on the same sweep file and store directory, so the runs land
/// in one store on a shared file system; finished runs are skipped, so resubmitting is resuming.
public enum ClusterScripts {
    /// The number of array tasks for `points` runs with at most `maxTasks` tasks: one point per
    /// task up to the cap, then each task takes every `tasks`-th point.
    public static func taskCount(points: Int, maxTasks: Int) -> Int { max(1, min(points, maxTasks)) }

    /// A Slurm batch script: `#SBATCH --array=0-(tasks-1)`, each task running its share.
    public static func slurm(executable: String, specPath: String, dir: String, name: String, tasks: Int,
                             extra: [String] = []) -> String {
        var s = """
        #!/bin/bash
        # synaptop sweep \(specPath): \(tasks) array task\(tasks == 1 ? "" : "s"); task i runs the points whose index % \(tasks) == i.
        # Submit: sbatch \(dir)/slurm.sh    Follow: synaptop sweep status \(dir)
        #SBATCH --job-name=synaptop-\(name)
        #SBATCH --array=0-\(tasks - 1)
        #SBATCH --ntasks=1
        #SBATCH --cpus-per-task=1
        #SBATCH --output=\(dir)/slurm/%A_%a.out

        """
        for e in extra { s += "#SBATCH \(e)\n" }
        s += "exec \(Shell.quote(executable)) sweep \(Shell.quote(specPath)) --out \(Shell.quote(dir)) --task-index \"$SLURM_ARRAY_TASK_ID\" --task-count \(tasks) --quiet\n"
        return s
    }

    /// A GNU parallel job list: one line per point (`parallel --jobs N < jobs.txt`, or with
    /// `--sshloginfile FILE` on machines sharing the directory).
    public static func parallelJobs(executable: String, specPath: String, dir: String, points: Int) -> String {
        (0..<points).map {
            "\(Shell.quote(executable)) sweep \(Shell.quote(specPath)) --out \(Shell.quote(dir)) --task-index \($0) --task-count \(points) --quiet\n"
        }.joined()
    }
}

/// Submitting to Slurm and asking it about a job.
public enum Slurm {
    /// `sbatch --parsable SCRIPT`; returns the job id.
    public static func submit(script: String) throws(SweepError) -> String {
        guard Shell.has("sbatch") else { throw SweepError(message: "sbatch not found on PATH (is Slurm installed here? `--emit slurm` writes the script to submit elsewhere)") }
        let r = Shell.capture(["sbatch", "--parsable", script])
        let id = r.output.split(whereSeparator: \.isNewline).first.map { String($0.split(separator: ";")[0]) } ?? ""
        guard r.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            let why = (r.errors + r.output).split(whereSeparator: \.isNewline).joined(separator: " ")
            throw SweepError(message: "sbatch \(script) failed (exit \(r.status))\(why.isEmpty ? "" : ": " + why)")
        }
        return id
    }

    /// The job's tasks still in the queue, by state (`PENDING`, `RUNNING`, ...); nil when
    /// `squeue` is missing or fails.
    public static func queue(job: String) -> [String: Int]? {
        guard Shell.has("squeue") else { return nil }
        let r = Shell.capture(["squeue", "-h", "-r", "-j", job, "-o", "%T"])
        guard r.status == 0 else {
            // squeue fails with "Invalid job id" for a job it no longer knows: the job has left
            // the queue. Any other failure (a busy controller timing out) is "unknown".
            return r.errors.contains("Invalid job id") ? [:] : nil
        }
        var out: [String: Int] = [:]
        for line in r.output.split(whereSeparator: \.isNewline) { out[String(line).trimmingCharacters(in: .whitespaces), default: 0] += 1 }
        return out
    }

    /// Final states of the job's tasks from accounting (`sacct`), when it is configured.
    public static func accounting(job: String) -> [String: Int]? {
        guard Shell.has("sacct") else { return nil }
        let r = Shell.capture(["sacct", "-n", "-X", "-P", "-j", job, "-o", "State"])
        guard r.status == 0, !r.output.isEmpty else { return nil }
        var out: [String: Int] = [:]
        for line in r.output.split(whereSeparator: \.isNewline) { out[String(line.split(separator: " ")[0]), default: 0] += 1 }
        return out
    }
}
