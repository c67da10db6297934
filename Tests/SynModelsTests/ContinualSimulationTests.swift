import Testing
import SynCore
@testable import SynModels

/// The task schedule, events and evaluation of `ContinualSimulation` on a tiny network.
@Suite struct ContinualSimulationTests {
    static func make(endsOnly: Bool = false, rule: String = "replay") -> ContinualSimulation {
        let tasks = ContinualTasks.split(Tasks.digits(), classesPerTask: 2)
        let r = (try? ContinualRules.registry.descriptor(named: rule))?.makeDefault() ?? FineTune(RuleParameterValues(FineTune.parameters))
        let config = ContinualSimulation.Config(hidden: [8], stepsPerTask: 5, batch: 2, rules: [r], start: 0, evalEvery: 1,
                                                evalAtTaskEndsOnly: endsOnly, evalLimit: 20, memoryPerClass: 2)
        return ContinualSimulation(config: config, tasks: tasks, seed: 7)
    }

    @Test func taskBoundariesAreEventsAndFillTheAccuracyMatrix() {
        var sim = Self.make()
        sim.advance(12)
        #expect(sim.events == [SimulationEvent(step: 5, label: "task 2"), SimulationEvent(step: 10, label: "task 3")])
        #expect(sim.task(at: 12) == 2 && sim.task(at: 1000) == 4)
        #expect(!sim.matrix[0, 0].isNaN && !sim.matrix[1, 0].isNaN && !sim.matrix[1, 1].isNaN)
        // R[1, 2] is the third task before its training (FWT); row 2 is not finished yet.
        #expect(!sim.matrix[1, 2].isNaN && sim.matrix[2, 0].isNaN && sim.matrix[1, 3].isNaN)
        let m = sim.measure()
        let column = { (name: String) in m[sim.metricNames.firstIndex(of: name) ?? 0] }
        #expect(column("task") == 3)
        #expect(column("acc_t4").isNaN && !column("acc_t3").isNaN)
        #expect(column("bwt") == sim.matrix.bwt(after: 1))
        #expect(column("fwt") == sim.matrix.fwt(after: 1) && !column("fwt").isNaN)
    }

    @Test func evaluationPeriodDoesNotChangeTraining() {
        var every = Self.make(), ends = Self.make(endsOnly: true)
        every.advance(17)
        ends.advance(17)
        #expect(every.net.params == ends.net.params)
        #expect(zip(every.matrix.values, ends.matrix.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }
}
